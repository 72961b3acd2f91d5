// Package otp is a thin client of the durable-otp REST API. The types and the HTTP calls are
// generated from the API's OpenAPI document by oapi-codegen (package otpapi, never edited by hand:
// `npm run clients:generate`); this file only makes them idiomatic: a constructor taking the base
// URL and the API key, one method per call returning the answer or an error, the Idempotency-Key
// as a call option, and every refusal as an *APIError carrying the API's code.
//
//	client, err := otp.NewClient("http://localhost:3000", os.Getenv("OTP_API_KEY"))
//	sent, err := client.Send(ctx, otp.SendRequest{...}, otp.WithIdempotencyKey(orderID))
//	_, err = client.Verify(ctx, otp.VerifyRequest{Token: &sent.SessionToken, Otps: typed})
//	if apiErr, ok := otp.AsAPIError(err, otpapi.ErrorCodeInvalidOtp); ok {
//		fmt.Println(*apiErr.AttemptsRemaining, "attempts left")
//	}
package otp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/durable-otp/durable-otp/clients/go/otpapi"
)

// The request and answer types of the covered calls, as generated from the document.
type (
	SendRequest        = otpapi.SendRequest
	SendResponse       = otpapi.SendResponse
	VerifyRequest      = otpapi.VerifyRequest
	VerifyResponse     = otpapi.VerifyResponse
	ResendRequest      = otpapi.ResendRequest
	ResendResponse     = otpapi.ResendResponse
	SessionDetail      = otpapi.SessionDetail
	SessionList        = otpapi.SessionList
	ListSessionsParams = otpapi.ListSessionsParams
	Balance            = otpapi.Balance
	// ErrorCode is the documented `code` of a refusal (docs/API.md lists them).
	ErrorCode = otpapi.ErrorCode
)

// Client calls the API with one API key. Safe for concurrent use.
type Client struct {
	api *otpapi.ClientWithResponses
}

// Option configures NewClient.
type Option func(*[]otpapi.ClientOption)

// WithHTTPClient sends the requests through another client (timeouts, proxies, retries, tests).
func WithHTTPClient(doer otpapi.HttpRequestDoer) Option {
	return func(options *[]otpapi.ClientOption) {
		*options = append(*options, otpapi.WithHTTPClient(doer))
	}
}

// NewClient makes a client of the API at baseURL (e.g. "http://localhost:3000", without
// /api/v1/otp) that authenticates with apiKey (sk_live_… or sk_test_…; keep it on the server).
func NewClient(baseURL, apiKey string, opts ...Option) (*Client, error) {
	if apiKey == "" {
		return nil, errors.New("otp: an API key is required")
	}
	options := []otpapi.ClientOption{
		otpapi.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("X-API-Key", apiKey)
			return nil
		}),
	}
	for _, opt := range opts {
		opt(&options)
	}
	api, err := otpapi.NewClientWithResponses(strings.TrimRight(baseURL, "/"), options...)
	if err != nil {
		return nil, fmt.Errorf("otp: %w", err)
	}
	return &Client{api: api}, nil
}

// API is the generated client itself, for the calls this package does not wrap.
func (c *Client) API() *otpapi.ClientWithResponses { return c.api }

// CallOption applies to the calls that take an Idempotency-Key: Send, Verify, Resend, CancelSession.
type CallOption func(*callOptions)

type callOptions struct{ idempotencyKey *string }

// WithIdempotencyKey makes the call safe to retry: the same key gets the first outcome
// (1–255 printable ASCII characters; docs/API.md).
func WithIdempotencyKey(key string) CallOption {
	return func(o *callOptions) { o.idempotencyKey = &key }
}

func idempotencyKey(opts []CallOption) *string {
	var o callOptions
	for _, opt := range opts {
		opt(&o)
	}
	return o.idempotencyKey
}

// Send starts a session and sends a code per channel.
func (c *Client) Send(ctx context.Context, body SendRequest, opts ...CallOption) (*SendResponse, error) {
	r, err := c.api.SendOtpWithResponse(ctx, &otpapi.SendOtpParams{IdempotencyKey: idempotencyKey(opts)}, body)
	if err != nil {
		return nil, transportError(err)
	}
	return answer(r.JSON201, r.HTTPResponse, r.Body)
}

// Verify checks codes; a wrong one is an *APIError with code invalid_otp and AttemptsRemaining.
func (c *Client) Verify(ctx context.Context, body VerifyRequest, opts ...CallOption) (*VerifyResponse, error) {
	r, err := c.api.VerifyOtpWithResponse(ctx, &otpapi.VerifyOtpParams{IdempotencyKey: idempotencyKey(opts)}, body)
	if err != nil {
		return nil, transportError(err)
	}
	return answer(r.JSON200, r.HTTPResponse, r.Body)
}

// Resend sends fresh codes; inside the cooldown it is an *APIError cooldown_active with RetryAfter.
func (c *Client) Resend(ctx context.Context, body ResendRequest, opts ...CallOption) (*ResendResponse, error) {
	r, err := c.api.ResendOtpWithResponse(ctx, &otpapi.ResendOtpParams{IdempotencyKey: idempotencyKey(opts)}, body)
	if err != nil {
		return nil, transportError(err)
	}
	return answer(r.JSON200, r.HTTPResponse, r.Body)
}

// GetSession reads a session's detail: status, channels, counters, events.
func (c *Client) GetSession(ctx context.Context, id string) (*SessionDetail, error) {
	r, err := c.api.GetSessionWithResponse(ctx, id)
	if err != nil {
		return nil, transportError(err)
	}
	return answer(r.JSON200, r.HTTPResponse, r.Body)
}

// ListSessions lists sessions newest first; params may be nil. Pass NextCursor on as Cursor.
func (c *Client) ListSessions(ctx context.Context, params *ListSessionsParams) (*SessionList, error) {
	if params == nil {
		params = &ListSessionsParams{}
	}
	r, err := c.api.ListSessionsWithResponse(ctx, params)
	if err != nil {
		return nil, transportError(err)
	}
	return answer(r.JSON200, r.HTTPResponse, r.Body)
}

// CancelSession cancels an open session and answers its detail.
func (c *Client) CancelSession(ctx context.Context, id string, opts ...CallOption) (*SessionDetail, error) {
	r, err := c.api.CancelSessionWithResponse(ctx, id, &otpapi.CancelSessionParams{IdempotencyKey: idempotencyKey(opts)})
	if err != nil {
		return nil, transportError(err)
	}
	return answer(r.JSON200, r.HTTPResponse, r.Body)
}

// Balance reads the tenant's credits (Credits is null for a tenant without a balance limit).
func (c *Client) Balance(ctx context.Context) (*Balance, error) {
	r, err := c.api.GetBalanceWithResponse(ctx)
	if err != nil {
		return nil, transportError(err)
	}
	return answer(r.JSON200, r.HTTPResponse, r.Body)
}

// APIError is a refusal of the API: `{ statusCode, message, error, code, ...extras }`.
type APIError struct {
	// Status is the HTTP status (400, 401, 429, …).
	Status int
	// Code says why (invalid_otp, cooldown_active, session_not_found, …).
	Code ErrorCode
	// Message is the API's human-readable message.
	Message string
	// RequestID is the API's X-Request-Id, for support.
	RequestID string
	// RetryAfter is the seconds to wait (cooldown_active, rate_limited, session_locked…), if given.
	RetryAfter *int
	// AttemptsRemaining comes with invalid_otp, max_attempts_exceeded and code_not_active.
	AttemptsRemaining *int
	// Body is the whole error body, extras included (details, results, channel, reason).
	Body otpapi.Error
}

func (e *APIError) Error() string {
	return fmt.Sprintf("otp: %d %s: %s", e.Status, e.Code, e.Message)
}

// AsAPIError finds an *APIError in err; with codes, only one carrying one of them.
func AsAPIError(err error, codes ...ErrorCode) (*APIError, bool) {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return nil, false
	}
	if len(codes) == 0 {
		return apiErr, true
	}
	for _, code := range codes {
		if apiErr.Code == code {
			return apiErr, true
		}
	}
	return nil, false
}

// TransportError is an answer that is not the API's: a network failure, a proxy's error page.
type TransportError struct {
	// Status is the HTTP status when there was an answer, else 0.
	Status int
	Err    error
}

func (e *TransportError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("otp: unexpected answer %d: %v", e.Status, e.Err)
	}
	return fmt.Sprintf("otp: request failed: %v", e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

func transportError(err error) error { return &TransportError{Err: err} }

// answer is the decoded 2xx body, or the refusal as an *APIError, or a *TransportError.
func answer[T any](data *T, response *http.Response, body []byte) (*T, error) {
	if response.StatusCode >= 200 && response.StatusCode < 300 && data != nil {
		return data, nil
	}
	var refusal otpapi.Error
	if err := json.Unmarshal(body, &refusal); err != nil || refusal.Code == "" {
		if err == nil {
			err = errors.New("not an error body of the API")
		}
		return nil, &TransportError{Status: response.StatusCode, Err: err}
	}
	apiErr := &APIError{
		Status:            response.StatusCode,
		Code:              refusal.Code,
		Message:           refusal.Message,
		RequestID:         response.Header.Get("X-Request-Id"),
		RetryAfter:        refusal.RetryAfter,
		AttemptsRemaining: refusal.AttemptsRemaining,
		Body:              refusal,
	}
	if apiErr.RetryAfter == nil {
		if seconds, err := strconv.Atoi(response.Header.Get("Retry-After")); err == nil {
			apiErr.RetryAfter = &seconds
		}
	}
	return nil, apiErr
}
