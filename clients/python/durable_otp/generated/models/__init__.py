"""Contains all the data models used in inputs/outputs"""

from .adjust_credits_response_400 import AdjustCreditsResponse400
from .adjust_credits_response_400_code import AdjustCreditsResponse400Code
from .adjust_credits_response_401 import AdjustCreditsResponse401
from .adjust_credits_response_401_code import AdjustCreditsResponse401Code
from .adjust_credits_response_404 import AdjustCreditsResponse404
from .adjust_credits_response_404_code import AdjustCreditsResponse404Code
from .adjust_credits_response_413 import AdjustCreditsResponse413
from .adjust_credits_response_413_code import AdjustCreditsResponse413Code
from .adjust_credits_response_415 import AdjustCreditsResponse415
from .adjust_credits_response_415_code import AdjustCreditsResponse415Code
from .adjust_credits_response_500 import AdjustCreditsResponse500
from .adjust_credits_response_500_code import AdjustCreditsResponse500Code
from .adjust_credits_response_503 import AdjustCreditsResponse503
from .adjust_credits_response_503_code import AdjustCreditsResponse503Code
from .balance import Balance
from .cancel_session_response_400 import CancelSessionResponse400
from .cancel_session_response_400_code import CancelSessionResponse400Code
from .cancel_session_response_401 import CancelSessionResponse401
from .cancel_session_response_401_code import CancelSessionResponse401Code
from .cancel_session_response_413 import CancelSessionResponse413
from .cancel_session_response_413_code import CancelSessionResponse413Code
from .cancel_session_response_415 import CancelSessionResponse415
from .cancel_session_response_415_code import CancelSessionResponse415Code
from .cancel_session_response_500 import CancelSessionResponse500
from .cancel_session_response_500_code import CancelSessionResponse500Code
from .cancel_session_response_503 import CancelSessionResponse503
from .cancel_session_response_503_code import CancelSessionResponse503Code
from .credit_change import CreditChange
from .error import Error
from .error_channel import ErrorChannel
from .error_code import ErrorCode
from .error_details_item import ErrorDetailsItem
from .error_reason import ErrorReason
from .error_results import ErrorResults
from .error_results_additional_property import ErrorResultsAdditionalProperty
from .fraud_overview import FraudOverview
from .fraud_overview_blocks_item import FraudOverviewBlocksItem
from .fraud_overview_blocks_item_channel import FraudOverviewBlocksItemChannel
from .fraud_overview_blocks_item_scope import FraudOverviewBlocksItemScope
from .fraud_overview_countries_item import FraudOverviewCountriesItem
from .fraud_overview_countries_item_channel import FraudOverviewCountriesItemChannel
from .get_balance_response_401 import GetBalanceResponse401
from .get_balance_response_401_code import GetBalanceResponse401Code
from .get_balance_response_500 import GetBalanceResponse500
from .get_balance_response_500_code import GetBalanceResponse500Code
from .get_balance_response_503 import GetBalanceResponse503
from .get_balance_response_503_code import GetBalanceResponse503Code
from .get_fraud_overview_response_401 import GetFraudOverviewResponse401
from .get_fraud_overview_response_401_code import GetFraudOverviewResponse401Code
from .get_fraud_overview_response_404 import GetFraudOverviewResponse404
from .get_fraud_overview_response_404_code import GetFraudOverviewResponse404Code
from .get_fraud_overview_response_500 import GetFraudOverviewResponse500
from .get_fraud_overview_response_500_code import GetFraudOverviewResponse500Code
from .get_fraud_overview_response_503 import GetFraudOverviewResponse503
from .get_fraud_overview_response_503_code import GetFraudOverviewResponse503Code
from .get_insights_group_by import GetInsightsGroupBy
from .get_insights_response_400 import GetInsightsResponse400
from .get_insights_response_400_code import GetInsightsResponse400Code
from .get_insights_response_401 import GetInsightsResponse401
from .get_insights_response_401_code import GetInsightsResponse401Code
from .get_insights_response_500 import GetInsightsResponse500
from .get_insights_response_500_code import GetInsightsResponse500Code
from .get_insights_response_503 import GetInsightsResponse503
from .get_insights_response_503_code import GetInsightsResponse503Code
from .get_session_response_400 import GetSessionResponse400
from .get_session_response_400_code import GetSessionResponse400Code
from .get_session_response_401 import GetSessionResponse401
from .get_session_response_401_code import GetSessionResponse401Code
from .get_session_response_500 import GetSessionResponse500
from .get_session_response_500_code import GetSessionResponse500Code
from .get_session_response_503 import GetSessionResponse503
from .get_session_response_503_code import GetSessionResponse503Code
from .health import Health
from .insights import Insights
from .insights_data_item import InsightsDataItem
from .insights_group_by import InsightsGroupBy
from .lift_fraud_block_response_400 import LiftFraudBlockResponse400
from .lift_fraud_block_response_400_code import LiftFraudBlockResponse400Code
from .lift_fraud_block_response_401 import LiftFraudBlockResponse401
from .lift_fraud_block_response_401_code import LiftFraudBlockResponse401Code
from .lift_fraud_block_response_404 import LiftFraudBlockResponse404
from .lift_fraud_block_response_404_code import LiftFraudBlockResponse404Code
from .lift_fraud_block_response_500 import LiftFraudBlockResponse500
from .lift_fraud_block_response_500_code import LiftFraudBlockResponse500Code
from .lift_fraud_block_response_503 import LiftFraudBlockResponse503
from .lift_fraud_block_response_503_code import LiftFraudBlockResponse503Code
from .lift_fraud_block_scope import LiftFraudBlockScope
from .list_sessions_channel import ListSessionsChannel
from .list_sessions_response_400 import ListSessionsResponse400
from .list_sessions_response_400_code import ListSessionsResponse400Code
from .list_sessions_response_401 import ListSessionsResponse401
from .list_sessions_response_401_code import ListSessionsResponse401Code
from .list_sessions_response_500 import ListSessionsResponse500
from .list_sessions_response_500_code import ListSessionsResponse500Code
from .list_sessions_response_503 import ListSessionsResponse503
from .list_sessions_response_503_code import ListSessionsResponse503Code
from .list_sessions_sandbox import ListSessionsSandbox
from .list_sessions_status import ListSessionsStatus
from .open_api_response_200 import OpenApiResponse200
from .readiness import Readiness
from .readiness_reason import ReadinessReason
from .readiness_status import ReadinessStatus
from .resend_otp_response_400 import ResendOtpResponse400
from .resend_otp_response_400_code import ResendOtpResponse400Code
from .resend_otp_response_401 import ResendOtpResponse401
from .resend_otp_response_401_code import ResendOtpResponse401Code
from .resend_otp_response_402 import ResendOtpResponse402
from .resend_otp_response_402_code import ResendOtpResponse402Code
from .resend_otp_response_403 import ResendOtpResponse403
from .resend_otp_response_403_code import ResendOtpResponse403Code
from .resend_otp_response_413 import ResendOtpResponse413
from .resend_otp_response_413_code import ResendOtpResponse413Code
from .resend_otp_response_415 import ResendOtpResponse415
from .resend_otp_response_415_code import ResendOtpResponse415Code
from .resend_otp_response_429 import ResendOtpResponse429
from .resend_otp_response_429_code import ResendOtpResponse429Code
from .resend_otp_response_500 import ResendOtpResponse500
from .resend_otp_response_500_code import ResendOtpResponse500Code
from .resend_otp_response_503 import ResendOtpResponse503
from .resend_otp_response_503_code import ResendOtpResponse503Code
from .resend_response import ResendResponse
from .resend_response_channels import ResendResponseChannels
from .resend_response_channels_additional_property import (
    ResendResponseChannelsAdditionalProperty,
)
from .resend_response_channels_additional_property_delivery import (
    ResendResponseChannelsAdditionalPropertyDelivery,
)
from .resend_response_sandbox_otps import ResendResponseSandboxOtps
from .send_otp_response_400 import SendOtpResponse400
from .send_otp_response_400_code import SendOtpResponse400Code
from .send_otp_response_401 import SendOtpResponse401
from .send_otp_response_401_code import SendOtpResponse401Code
from .send_otp_response_402 import SendOtpResponse402
from .send_otp_response_402_code import SendOtpResponse402Code
from .send_otp_response_403 import SendOtpResponse403
from .send_otp_response_403_code import SendOtpResponse403Code
from .send_otp_response_413 import SendOtpResponse413
from .send_otp_response_413_code import SendOtpResponse413Code
from .send_otp_response_415 import SendOtpResponse415
from .send_otp_response_415_code import SendOtpResponse415Code
from .send_otp_response_422 import SendOtpResponse422
from .send_otp_response_422_code import SendOtpResponse422Code
from .send_otp_response_429 import SendOtpResponse429
from .send_otp_response_429_code import SendOtpResponse429Code
from .send_otp_response_500 import SendOtpResponse500
from .send_otp_response_500_code import SendOtpResponse500Code
from .send_otp_response_503 import SendOtpResponse503
from .send_otp_response_503_code import SendOtpResponse503Code
from .send_response import SendResponse
from .send_response_channels import SendResponseChannels
from .send_response_channels_additional_property import (
    SendResponseChannelsAdditionalProperty,
)
from .send_response_channels_additional_property_delivery import (
    SendResponseChannelsAdditionalPropertyDelivery,
)
from .send_response_sandbox_otps import SendResponseSandboxOtps
from .send_response_status import SendResponseStatus
from .session_detail import SessionDetail
from .session_detail_attempts import SessionDetailAttempts
from .session_detail_channels import SessionDetailChannels
from .session_detail_channels_additional_property import (
    SessionDetailChannelsAdditionalProperty,
)
from .session_detail_channels_additional_property_delivery import (
    SessionDetailChannelsAdditionalPropertyDelivery,
)
from .session_detail_channels_additional_property_number_type import (
    SessionDetailChannelsAdditionalPropertyNumberType,
)
from .session_detail_config import SessionDetailConfig
from .session_detail_config_code_type import SessionDetailConfigCodeType
from .session_detail_events_item import SessionDetailEventsItem
from .session_detail_events_item_channels_item import (
    SessionDetailEventsItemChannelsItem,
)
from .session_detail_events_item_type import SessionDetailEventsItemType
from .session_detail_events_item_webhook import SessionDetailEventsItemWebhook
from .session_detail_events_item_webhook_event import (
    SessionDetailEventsItemWebhookEvent,
)
from .session_detail_fallback import SessionDetailFallback
from .session_detail_fallback_channels_item import SessionDetailFallbackChannelsItem
from .session_detail_key_mode import SessionDetailKeyMode
from .session_detail_metadata import SessionDetailMetadata
from .session_detail_pending_channels_item import SessionDetailPendingChannelsItem
from .session_detail_resends import SessionDetailResends
from .session_detail_status import SessionDetailStatus
from .session_detail_verification_type_0 import SessionDetailVerificationType0
from .session_detail_verification_type_1 import SessionDetailVerificationType1
from .session_detail_verification_type_2 import SessionDetailVerificationType2
from .session_detail_verification_type_2_channels_item import (
    SessionDetailVerificationType2ChannelsItem,
)
from .session_detail_verified_channels_item import SessionDetailVerifiedChannelsItem
from .session_list import SessionList
from .session_list_data_item import SessionListDataItem
from .session_list_data_item_channels_item import SessionListDataItemChannelsItem
from .session_list_data_item_status import SessionListDataItemStatus
from .twilio_status_callback_body import TwilioStatusCallbackBody
from .twilio_status_callback_response_403 import TwilioStatusCallbackResponse403
from .twilio_status_callback_response_403_code import (
    TwilioStatusCallbackResponse403Code,
)
from .twilio_status_callback_response_413 import TwilioStatusCallbackResponse413
from .twilio_status_callback_response_413_code import (
    TwilioStatusCallbackResponse413Code,
)
from .twilio_status_callback_response_415 import TwilioStatusCallbackResponse415
from .twilio_status_callback_response_415_code import (
    TwilioStatusCallbackResponse415Code,
)
from .twilio_status_callback_response_500 import TwilioStatusCallbackResponse500
from .twilio_status_callback_response_500_code import (
    TwilioStatusCallbackResponse500Code,
)
from .twilio_status_callback_response_503 import TwilioStatusCallbackResponse503
from .twilio_status_callback_response_503_code import (
    TwilioStatusCallbackResponse503Code,
)
from .verify_otp_response_400 import VerifyOtpResponse400
from .verify_otp_response_400_code import VerifyOtpResponse400Code
from .verify_otp_response_401 import VerifyOtpResponse401
from .verify_otp_response_401_code import VerifyOtpResponse401Code
from .verify_otp_response_413 import VerifyOtpResponse413
from .verify_otp_response_413_code import VerifyOtpResponse413Code
from .verify_otp_response_415 import VerifyOtpResponse415
from .verify_otp_response_415_code import VerifyOtpResponse415Code
from .verify_otp_response_429 import VerifyOtpResponse429
from .verify_otp_response_429_code import VerifyOtpResponse429Code
from .verify_otp_response_500 import VerifyOtpResponse500
from .verify_otp_response_500_code import VerifyOtpResponse500Code
from .verify_otp_response_503 import VerifyOtpResponse503
from .verify_otp_response_503_code import VerifyOtpResponse503Code
from .verify_response import VerifyResponse
from .verify_response_metadata import VerifyResponseMetadata
from .verify_response_pending_channels_item import VerifyResponsePendingChannelsItem
from .verify_response_results import VerifyResponseResults
from .verify_response_results_additional_property import (
    VerifyResponseResultsAdditionalProperty,
)
from .verify_response_status import VerifyResponseStatus
from .verify_response_verified_channels_item import VerifyResponseVerifiedChannelsItem

__all__ = (
    "AdjustCreditsResponse400",
    "AdjustCreditsResponse400Code",
    "AdjustCreditsResponse401",
    "AdjustCreditsResponse401Code",
    "AdjustCreditsResponse404",
    "AdjustCreditsResponse404Code",
    "AdjustCreditsResponse413",
    "AdjustCreditsResponse413Code",
    "AdjustCreditsResponse415",
    "AdjustCreditsResponse415Code",
    "AdjustCreditsResponse500",
    "AdjustCreditsResponse500Code",
    "AdjustCreditsResponse503",
    "AdjustCreditsResponse503Code",
    "Balance",
    "CancelSessionResponse400",
    "CancelSessionResponse400Code",
    "CancelSessionResponse401",
    "CancelSessionResponse401Code",
    "CancelSessionResponse413",
    "CancelSessionResponse413Code",
    "CancelSessionResponse415",
    "CancelSessionResponse415Code",
    "CancelSessionResponse500",
    "CancelSessionResponse500Code",
    "CancelSessionResponse503",
    "CancelSessionResponse503Code",
    "CreditChange",
    "Error",
    "ErrorChannel",
    "ErrorCode",
    "ErrorDetailsItem",
    "ErrorReason",
    "ErrorResults",
    "ErrorResultsAdditionalProperty",
    "FraudOverview",
    "FraudOverviewBlocksItem",
    "FraudOverviewBlocksItemChannel",
    "FraudOverviewBlocksItemScope",
    "FraudOverviewCountriesItem",
    "FraudOverviewCountriesItemChannel",
    "GetBalanceResponse401",
    "GetBalanceResponse401Code",
    "GetBalanceResponse500",
    "GetBalanceResponse500Code",
    "GetBalanceResponse503",
    "GetBalanceResponse503Code",
    "GetFraudOverviewResponse401",
    "GetFraudOverviewResponse401Code",
    "GetFraudOverviewResponse404",
    "GetFraudOverviewResponse404Code",
    "GetFraudOverviewResponse500",
    "GetFraudOverviewResponse500Code",
    "GetFraudOverviewResponse503",
    "GetFraudOverviewResponse503Code",
    "GetInsightsGroupBy",
    "GetInsightsResponse400",
    "GetInsightsResponse400Code",
    "GetInsightsResponse401",
    "GetInsightsResponse401Code",
    "GetInsightsResponse500",
    "GetInsightsResponse500Code",
    "GetInsightsResponse503",
    "GetInsightsResponse503Code",
    "GetSessionResponse400",
    "GetSessionResponse400Code",
    "GetSessionResponse401",
    "GetSessionResponse401Code",
    "GetSessionResponse500",
    "GetSessionResponse500Code",
    "GetSessionResponse503",
    "GetSessionResponse503Code",
    "Health",
    "Insights",
    "InsightsDataItem",
    "InsightsGroupBy",
    "LiftFraudBlockResponse400",
    "LiftFraudBlockResponse400Code",
    "LiftFraudBlockResponse401",
    "LiftFraudBlockResponse401Code",
    "LiftFraudBlockResponse404",
    "LiftFraudBlockResponse404Code",
    "LiftFraudBlockResponse500",
    "LiftFraudBlockResponse500Code",
    "LiftFraudBlockResponse503",
    "LiftFraudBlockResponse503Code",
    "LiftFraudBlockScope",
    "ListSessionsChannel",
    "ListSessionsResponse400",
    "ListSessionsResponse400Code",
    "ListSessionsResponse401",
    "ListSessionsResponse401Code",
    "ListSessionsResponse500",
    "ListSessionsResponse500Code",
    "ListSessionsResponse503",
    "ListSessionsResponse503Code",
    "ListSessionsSandbox",
    "ListSessionsStatus",
    "OpenApiResponse200",
    "Readiness",
    "ReadinessReason",
    "ReadinessStatus",
    "ResendOtpResponse400",
    "ResendOtpResponse400Code",
    "ResendOtpResponse401",
    "ResendOtpResponse401Code",
    "ResendOtpResponse402",
    "ResendOtpResponse402Code",
    "ResendOtpResponse403",
    "ResendOtpResponse403Code",
    "ResendOtpResponse413",
    "ResendOtpResponse413Code",
    "ResendOtpResponse415",
    "ResendOtpResponse415Code",
    "ResendOtpResponse429",
    "ResendOtpResponse429Code",
    "ResendOtpResponse500",
    "ResendOtpResponse500Code",
    "ResendOtpResponse503",
    "ResendOtpResponse503Code",
    "ResendResponse",
    "ResendResponseChannels",
    "ResendResponseChannelsAdditionalProperty",
    "ResendResponseChannelsAdditionalPropertyDelivery",
    "ResendResponseSandboxOtps",
    "SendOtpResponse400",
    "SendOtpResponse400Code",
    "SendOtpResponse401",
    "SendOtpResponse401Code",
    "SendOtpResponse402",
    "SendOtpResponse402Code",
    "SendOtpResponse403",
    "SendOtpResponse403Code",
    "SendOtpResponse413",
    "SendOtpResponse413Code",
    "SendOtpResponse415",
    "SendOtpResponse415Code",
    "SendOtpResponse422",
    "SendOtpResponse422Code",
    "SendOtpResponse429",
    "SendOtpResponse429Code",
    "SendOtpResponse500",
    "SendOtpResponse500Code",
    "SendOtpResponse503",
    "SendOtpResponse503Code",
    "SendResponse",
    "SendResponseChannels",
    "SendResponseChannelsAdditionalProperty",
    "SendResponseChannelsAdditionalPropertyDelivery",
    "SendResponseSandboxOtps",
    "SendResponseStatus",
    "SessionDetail",
    "SessionDetailAttempts",
    "SessionDetailChannels",
    "SessionDetailChannelsAdditionalProperty",
    "SessionDetailChannelsAdditionalPropertyDelivery",
    "SessionDetailChannelsAdditionalPropertyNumberType",
    "SessionDetailConfig",
    "SessionDetailConfigCodeType",
    "SessionDetailEventsItem",
    "SessionDetailEventsItemChannelsItem",
    "SessionDetailEventsItemType",
    "SessionDetailEventsItemWebhook",
    "SessionDetailEventsItemWebhookEvent",
    "SessionDetailFallback",
    "SessionDetailFallbackChannelsItem",
    "SessionDetailKeyMode",
    "SessionDetailMetadata",
    "SessionDetailPendingChannelsItem",
    "SessionDetailResends",
    "SessionDetailStatus",
    "SessionDetailVerificationType0",
    "SessionDetailVerificationType1",
    "SessionDetailVerificationType2",
    "SessionDetailVerificationType2ChannelsItem",
    "SessionDetailVerifiedChannelsItem",
    "SessionList",
    "SessionListDataItem",
    "SessionListDataItemChannelsItem",
    "SessionListDataItemStatus",
    "TwilioStatusCallbackBody",
    "TwilioStatusCallbackResponse403",
    "TwilioStatusCallbackResponse403Code",
    "TwilioStatusCallbackResponse413",
    "TwilioStatusCallbackResponse413Code",
    "TwilioStatusCallbackResponse415",
    "TwilioStatusCallbackResponse415Code",
    "TwilioStatusCallbackResponse500",
    "TwilioStatusCallbackResponse500Code",
    "TwilioStatusCallbackResponse503",
    "TwilioStatusCallbackResponse503Code",
    "VerifyOtpResponse400",
    "VerifyOtpResponse400Code",
    "VerifyOtpResponse401",
    "VerifyOtpResponse401Code",
    "VerifyOtpResponse413",
    "VerifyOtpResponse413Code",
    "VerifyOtpResponse415",
    "VerifyOtpResponse415Code",
    "VerifyOtpResponse429",
    "VerifyOtpResponse429Code",
    "VerifyOtpResponse500",
    "VerifyOtpResponse500Code",
    "VerifyOtpResponse503",
    "VerifyOtpResponse503Code",
    "VerifyResponse",
    "VerifyResponseMetadata",
    "VerifyResponsePendingChannelsItem",
    "VerifyResponseResults",
    "VerifyResponseResultsAdditionalProperty",
    "VerifyResponseStatus",
    "VerifyResponseVerifiedChannelsItem",
)
