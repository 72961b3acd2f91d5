// Calls the API through the client the ways clients/go/test/client.test.ts asserts on, and prints
// what came back as one JSON object: each answer's fields, each refusal's type, status, code and
// extras. OTP_API_URL and OTP_API_KEY say where and as whom.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"os"
	"time"

	otp "github.com/durable-otp/durable-otp/clients/go"
	"github.com/durable-otp/durable-otp/clients/go/otpapi"
	openapi_types "github.com/oapi-codegen/runtime/types"
)

// outcome describes an error as the test reads it.
func outcome(err error) map[string]any {
	if err == nil {
		return map[string]any{"kind": "ok"}
	}
	if apiErr, ok := otp.AsAPIError(err); ok {
		return map[string]any{
			"kind":               "api_error",
			"status":             apiErr.Status,
			"code":               apiErr.Code,
			"message":            apiErr.Message,
			"request_id":         apiErr.RequestID,
			"retry_after":        apiErr.RetryAfter,
			"attempts_remaining": apiErr.AttemptsRemaining,
			"results":            apiErr.Body.Results,
			"details":            apiErr.Body.Details,
		}
	}
	var transport *otp.TransportError
	if errors.As(err, &transport) {
		return map[string]any{"kind": "transport_error", "status": transport.Status}
	}
	return map[string]any{"kind": "other", "error": err.Error()}
}

func must[T any](value T, err error) T {
	if err != nil {
		log.Fatal(err)
	}
	return value
}

func emailSend(address string) otp.SendRequest {
	email := openapi_types.Email(address)
	return otp.SendRequest{
		Channels:   &[]otpapi.SendRequestChannels{"email"},
		Recipients: otpapi.SendRequestRecipients{Email: &email},
	}
}

func main() {
	ctx := context.Background()
	baseURL, apiKey := os.Getenv("OTP_API_URL"), os.Getenv("OTP_API_KEY")
	client := must(otp.NewClient(baseURL+"/", apiKey))
	out := map[string]any{}

	// Reads, lists and cancels a session, and the balance.
	phone, purpose, limit := "+14155550100", "typed-go", 5
	sent := must(client.Send(ctx, otp.SendRequest{
		Channels:   &[]otpapi.SendRequestChannels{"sms"},
		Recipients: otpapi.SendRequestRecipients{Sms: &phone},
		Metadata:   &otpapi.SendRequestMetadata{Purpose: &purpose},
	}))
	detail := must(client.GetSession(ctx, sent.SessionId))
	out["detail"] = map[string]any{"session_id": detail.SessionId, "status": detail.Status, "sandbox": detail.Sandbox}
	out["cancelled"] = must(client.CancelSession(ctx, sent.SessionId, otp.WithIdempotencyKey("go-cancel-"+sent.SessionId))).Status
	// Listing reads Temporal's visibility, which is eventually consistent.
	listed := false
	for deadline := time.Now().Add(15 * time.Second); !listed && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		page := must(client.ListSessions(ctx, &otp.ListSessionsParams{Purpose: &purpose, Limit: &limit}))
		for _, s := range page.Data {
			listed = listed || s.SessionId == sent.SessionId
		}
	}
	out["listed"] = listed
	balance := must(client.Balance(ctx))
	out["balance_is_null"] = balance.Credits.IsNull()

	// The same Idempotency-Key: the same session; with another body, refused.
	first := must(client.Send(ctx, emailSend("same-go@example.com"), otp.WithIdempotencyKey("go-client-test-1")))
	again := must(client.Send(ctx, emailSend("same-go@example.com"), otp.WithIdempotencyKey("go-client-test-1")))
	out["idempotent_same_session"] = first.SessionId == again.SessionId
	_, err := client.Send(ctx, emailSend("other-go@example.com"), otp.WithIdempotencyKey("go-client-test-1"))
	out["idempotency_key_reused"] = outcome(err)

	// Refusals.
	typed := must(client.Send(ctx, emailSend("typed-go@example.com")))
	_, err = client.Verify(ctx, otp.VerifyRequest{Token: &typed.SessionToken, Otps: map[string]string{"email": "nope"}})
	out["invalid_otp"] = outcome(err)
	// The tenant's default cooldown is 60 s: a resend now is refused, with when to try again.
	_, err = client.Resend(ctx, otp.ResendRequest{SessionToken: &typed.SessionToken})
	out["cooldown_active"] = outcome(err)
	token := "not-a-token"
	_, err = client.Verify(ctx, otp.VerifyRequest{Token: &token, Otps: map[string]string{"email": "123456"}})
	out["session_not_found"] = outcome(err)
	_, err = client.GetSession(ctx, "ses_00000000000000000000000000000000")
	out["unknown_session"] = outcome(err)
	_, err = client.Send(ctx, otp.SendRequest{Channels: &[]otpapi.SendRequestChannels{"email"}})
	out["validation_error"] = outcome(err)

	badKey := must(otp.NewClient(baseURL, "sk_test_nope"))
	_, err = badKey.Balance(ctx)
	out["invalid_api_key"] = outcome(err)
	nowhere := must(otp.NewClient("http://127.0.0.1:9", apiKey))
	_, err = nowhere.Balance(ctx)
	out["transport"] = outcome(err)

	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		log.Fatal(err)
	}
}
