// The Go client's round trip: send a code, get one wrong (an *otp.APIError with the attempts
// left), resend, verify the new code. Run against `make run` with its test key, whose sessions are
// sandbox sessions (the codes come back in the answers instead of being delivered):
//
//	cd clients/go && OTP_API_URL=http://localhost:3000 OTP_API_KEY=sk_test_… go run ./examples/send-verify-resend
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	otp "github.com/durable-otp/durable-otp/clients/go"
	"github.com/durable-otp/durable-otp/clients/go/otpapi"
	openapi_types "github.com/oapi-codegen/runtime/types"
)

// SendVerifyResend runs the round trip for one email address and answers the verify's outcome.
func SendVerifyResend(ctx context.Context, client *otp.Client, email string, logf func(string, ...any)) (*otp.VerifyResponse, error) {
	// A retried send with the same Idempotency-Key gets the same session, not a second code.
	key := make([]byte, 16)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	address := openapi_types.Email(email)
	noCooldown := 0
	purpose := "login"
	userID := any("user_12345")
	sent, err := client.Send(ctx, otp.SendRequest{
		Channels:   &[]otpapi.SendRequestChannels{"email"},
		Recipients: otpapi.SendRequestRecipients{Email: &address},
		Config:     &otpapi.SendRequestConfig{ResendCooldownSeconds: &noCooldown},
		Metadata: &otpapi.SendRequestMetadata{
			Purpose:              &purpose,
			AdditionalProperties: map[string]*any{"user_id": &userID},
		},
	}, otp.WithIdempotencyKey(hex.EncodeToString(key)))
	if err != nil {
		return nil, err
	}
	logf("sent: session %s, expires at %s", sent.SessionId, sent.ExpiresAt.Format(time.RFC3339Nano))
	if sent.SandboxOtps == nil || (*sent.SandboxOtps)["email"] == "" {
		return nil, errors.New("use a test key: a live session sends the code instead of returning it")
	}
	code := (*sent.SandboxOtps)["email"]

	// In an app the person types the code; here, a wrong one first.
	last := byte('0')
	if code[len(code)-1] == '0' {
		last = '1'
	}
	wrong := code[:len(code)-1] + string(last)
	_, err = client.Verify(ctx, otp.VerifyRequest{Token: &sent.SessionToken, Otps: map[string]string{"email": wrong}})
	apiErr, ok := otp.AsAPIError(err, otpapi.ErrorCodeInvalidOtp)
	if !ok {
		return nil, fmt.Errorf("expected invalid_otp, got %v", err)
	}
	logf("wrong code: %d attempts left", *apiErr.AttemptsRemaining)

	resent, err := client.Resend(ctx, otp.ResendRequest{SessionToken: &sent.SessionToken})
	if err != nil {
		return nil, err
	}
	next := "now"
	if at, err := resent.NextResendAt.Get(); err == nil {
		next = at.Format(time.RFC3339Nano)
	}
	logf("resent: %d resends left, next one from %s", resent.ResendsRemaining, next)

	verified, err := client.Verify(ctx, otp.VerifyRequest{
		Token: &sent.SessionToken,
		Otps:  map[string]string{"email": (*resent.SandboxOtps)["email"]},
	})
	if err != nil {
		return nil, err
	}
	logf("verify: %s", verified.Status)
	return verified, nil
}

func main() {
	baseURL := os.Getenv("OTP_API_URL")
	if baseURL == "" {
		baseURL = "http://localhost:3000"
	}
	email := os.Getenv("OTP_EMAIL")
	if email == "" {
		email = "ada@example.com"
	}
	client, err := otp.NewClient(baseURL, os.Getenv("OTP_API_KEY"))
	if err != nil {
		log.Fatal("set OTP_API_KEY to the test key make run printed: ", err)
	}
	logf := func(format string, args ...any) { fmt.Printf(format+"\n", args...) }
	if _, err := SendVerifyResend(context.Background(), client, email, logf); err != nil {
		log.Fatal(err)
	}
}
