export interface paths {
    "/api/v1/otp/send": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a verification session and send a code on each channel */
        post: operations["sendOtp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/otp/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check submitted codes (any subset of the channels, in any number of calls) */
        post: operations["verifyOtp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/otp/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send fresh codes to the unverified channels (or a subset) */
        post: operations["resendOtp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/otp/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's sessions, newest first */
        get: operations["listSessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/otp/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A session with its timeline and a link to its history in the Temporal UI */
        get: operations["getSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/otp/sessions/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End a pending, partial or locked session */
        post: operations["cancelSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/otp/balance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's tenant balance in credits (null: no balance limit) */
        get: operations["getBalance"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/otp/insights": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sends, verified sessions, conversion and credits per day, for the caller's tenant and key mode */
        get: operations["getInsights"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/tenants/{tenant}/credits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Top up (add) or set a tenant's balance; kept in the credit store's audit trail */
        post: operations["adjustCredits"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/tenants/{tenant}/fraud": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A tenant's fraud blocks in force and each country's sends and conversion in the window (SPEC §11) */
        get: operations["getFraudOverview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/tenants/{tenant}/fraud/blocks/{scope}/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Lift one block of the pumping detector; the next block of it is still escalated */
        delete: operations["liftFraudBlock"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/otp/providers/twilio/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Twilio's delivery receipts (SPEC §9): for Twilio, not for clients
         * @description Believed only with a valid X-Twilio-Signature over the exact StatusCallback URL the product gave Twilio (PUBLIC_BASE_URL, this path and its query) and the posted parameters. A final message status (delivered, read, undelivered, failed) or a call's end (completed; busy, no-answer, failed, canceled) moves the channel's delivery; anything else, an unknown message or call id or an ended session changes nothing.
         */
        post: operations["twilioStatusCallback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: operations["openApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Answers while the process is up */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Ready when Temporal answers and a worker polls the task queue */
        get: operations["readiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @example {
         *       "channels": [
         *         "email",
         *         "sms"
         *       ],
         *       "recipients": {
         *         "email": "ada@example.com",
         *         "sms": "+14155550100"
         *       },
         *       "config": {
         *         "otp_length": 6,
         *         "expiry_minutes": 10,
         *         "resend_cooldown_seconds": 60
         *       },
         *       "metadata": {
         *         "purpose": "login",
         *         "user_id": "user_12345"
         *       }
         *     }
         */
        SendRequest: ({
            /** @description Every channel gets a code at once; or give fallback */
            channels?: ("email" | "sms" | "whatsapp" | "voice")[];
            /** @description Instead of channels: a fallback chain (any reached channel's code verifies the session) */
            fallback?: {
                /** @description In order: only the first gets a code at once, each next one when the previous fails */
                channels: ("email" | "sms" | "whatsapp" | "voice")[];
                /** @description How long each channel gets to be verified before the next one gets a code */
                after_seconds: number;
            };
            recipients: {
                /** Format: email */
                email?: string;
                /**
                 * Format: e164
                 * @description An E.164 number valid for its country, as libphonenumber (full metadata) parses it
                 */
                sms?: string;
                /**
                 * Format: e164
                 * @description An E.164 number valid for its country, as libphonenumber (full metadata) parses it
                 */
                whatsapp?: string;
                /**
                 * Format: e164
                 * @description An E.164 number valid for its country, as libphonenumber (full metadata) parses it
                 */
                voice?: string;
            };
            config?: {
                otp_length?: number;
                /** @enum {string} */
                code_type?: "numeric" | "alphanumeric" | "alpha";
                expiry_minutes?: number;
                max_attempts?: number;
                resend_cooldown_seconds?: number;
                max_resends?: number;
                /** @description null: locked until the session expires */
                lockout_minutes?: number | null;
            };
            /**
             * @default {
             *       "mode": "all"
             *     }
             */
            verification?: {
                /** @constant */
                mode: "all";
            } | {
                /** @constant */
                mode: "any";
            } | {
                /** @constant */
                mode: "channels";
                channels: ("email" | "sms" | "whatsapp" | "voice")[];
            };
            /**
             * @description A flat JSON object (string, number, boolean or null values), at most 4 KiB; `purpose`, when present, is a string of letters, digits, spaces and _ . : @ / + - only (1 to 100)
             * @default {}
             */
            metadata?: {
                purpose?: string;
            } & {
                [key: string]: string | number | boolean | null;
            };
            /** @default false */
            sandbox_mode?: boolean;
            /** @description SPEC §12: the messages' language, BCP 47 `ll` or `ll-RR` (e.g. `pt-BR`); default the tenant's, else the phone number's country's, else `en` */
            locale?: string;
        } & (unknown & unknown & unknown & unknown & unknown & unknown & unknown & unknown & unknown & unknown & unknown & unknown)) & (unknown | unknown);
        SendResponse: {
            /** @constant */
            success: true;
            session_id: string;
            session_token: string;
            /** @enum {string} */
            status: "pending" | "partial" | "verified" | "locked" | "expired" | "cancelled" | "failed";
            /** Format: date-time */
            expires_at: string;
            channels: {
                [key: string]: {
                    /**
                     * @description waiting: a fallback channel not reached yet; delivered / undelivered: the provider's receipt (SPEC §9)
                     * @enum {string}
                     */
                    delivery: "waiting" | "queued" | "sent" | "delivered" | "undelivered" | "sandbox" | "failed";
                };
            };
            /** @description The codes of a sandbox session; never present for a live session */
            sandbox_otps?: {
                [key: string]: string;
            };
        };
        /** @description Give the session token as `token` or as `session_token` (one of them) */
        VerifyRequest: {
            token?: string;
            /** @description alias of token */
            session_token?: string;
            /**
             * @example {
             *       "email": "482913"
             *     }
             */
            otps: {
                [key: string]: string;
            };
        } & (unknown | unknown);
        VerifyResponse: {
            /** @constant */
            success: true;
            /** @enum {string} */
            status: "pending" | "partial" | "verified" | "locked" | "expired" | "cancelled" | "failed";
            results: {
                [key: string]: "verified" | "invalid" | "already_verified" | "not_checked";
            };
            verified_channels: ("email" | "sms" | "whatsapp" | "voice")[];
            pending_channels: ("email" | "sms" | "whatsapp" | "voice")[];
            attempts_remaining: number;
            session_id: string;
            /** @description A sandbox session: its codes were handed to the caller, no message reached anyone */
            sandbox: boolean;
            /** @description A flat JSON object (string, number, boolean or null values), at most 4 KiB */
            metadata: {
                [key: string]: string | number | boolean | null;
            };
        };
        /** @description Give the session token as `token` or as `session_token` (one of them) */
        ResendRequest: {
            session_token?: string;
            /** @description alias of session_token */
            token?: string;
            /** @description resend only to these channels (default: every unverified one) */
            channels?: ("email" | "sms" | "whatsapp" | "voice")[];
        } & (unknown | unknown);
        ResendResponse: {
            /** @constant */
            success: true;
            /** @constant */
            message: "OTP resent successfully";
            /** @description A sandbox session: its codes were handed to the caller, no message reached anyone */
            sandbox: boolean;
            /** Format: date-time */
            expires_at: string;
            resends_remaining: number;
            next_resend_at: string | null;
            channels: {
                [key: string]: {
                    /**
                     * @description waiting: a fallback channel not reached yet; delivered / undelivered: the provider's receipt (SPEC §9)
                     * @enum {string}
                     */
                    delivery: "waiting" | "queued" | "sent" | "delivered" | "undelivered" | "sandbox" | "failed";
                };
            };
            /** @description The codes of a sandbox session; never present for a live session */
            sandbox_otps?: {
                [key: string]: string;
            };
        };
        SessionDetail: {
            session_id: string;
            tenant_id: string;
            /** @enum {string} */
            status: "pending" | "partial" | "verified" | "locked" | "expired" | "cancelled" | "failed";
            /** @description A sandbox session: its codes were handed to the caller, no message reached anyone */
            sandbox: boolean;
            /**
             * @description The mode of the key that opened the session; only keys of that mode see it
             * @enum {string}
             */
            key_mode: "live" | "test";
            /** @description The language of its messages, a BCP 47 tag (SPEC §12) */
            locale: string;
            channels: {
                [key: string]: {
                    recipient: string;
                    /**
                     * @description waiting: a fallback channel not reached yet; delivered / undelivered: the provider's receipt (SPEC §9)
                     * @enum {string}
                     */
                    delivery: "waiting" | "queued" | "sent" | "delivered" | "undelivered" | "sandbox" | "failed";
                    verified: boolean;
                    verified_at: string | null;
                    required: boolean;
                    /** @description When this channel's current code stops working; null once verified */
                    code_expires_at?: string | null;
                    /**
                     * @description One of the tenant's test recipients (SPEC §12): fixed code, nothing sent, nothing charged
                     * @constant
                     */
                    test_recipient?: true;
                    /** @description Phone channels: the number's country, ISO 3166-1 alpha-2 (SPEC §11) */
                    country?: string;
                    /**
                     * @description Phone channels: the number type (libphonenumber)
                     * @enum {string}
                     */
                    number_type?: "MOBILE" | "FIXED_LINE" | "FIXED_LINE_OR_MOBILE" | "PREMIUM_RATE" | "TOLL_FREE" | "SHARED_COST" | "VOIP" | "PERSONAL_NUMBER" | "PAGER" | "UAN" | "VOICEMAIL" | "UNKNOWN";
                };
            };
            verification: {
                /** @constant */
                mode: "all";
            } | {
                /** @constant */
                mode: "any";
            } | {
                /** @constant */
                mode: "channels";
                channels: ("email" | "sms" | "whatsapp" | "voice")[];
            };
            verified_channels: ("email" | "sms" | "whatsapp" | "voice")[];
            pending_channels: ("email" | "sms" | "whatsapp" | "voice")[];
            attempts: {
                failed: number;
                max: number;
                remaining: number;
            };
            resends: {
                used: number;
                max: number;
                remaining: number;
                next_resend_at: string | null;
            };
            config: {
                otp_length: number;
                /** @enum {string} */
                code_type: "numeric" | "alphanumeric" | "alpha";
                expiry_minutes: number;
                max_attempts: number;
                resend_cooldown_seconds: number;
                max_resends: number;
                /** @description null: locked until the session expires */
                lockout_minutes: number | null;
            };
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            expires_at: string;
            locked_until: string | null;
            /** @description A flat JSON object (string, number, boolean or null values), at most 4 KiB */
            metadata: {
                [key: string]: string | number | boolean | null;
            };
            events: {
                /** @enum {string} */
                type: "created" | "sent" | "delivery_failed" | "attempt_failed" | "verified" | "resent" | "locked" | "unlocked" | "expired" | "cancelled" | "failed" | "delivered" | "undelivered" | "fallback" | "fallback_refused" | "webhook_sent" | "webhook_failed";
                /** Format: date-time */
                at: string;
                channels?: ("email" | "sms" | "whatsapp" | "voice")[];
                reason?: string;
                /** @description sent: the language the message was written in (SPEC §12) */
                locale?: string;
                webhook?: {
                    /** @description The webhook-id header: the same for every attempt of one event */
                    id: string;
                    /** @enum {string} */
                    event: "session.verified" | "session.locked" | "session.expired" | "session.cancelled" | "session.failed" | "delivery.failed" | "delivery.delivered" | "fraud.blocked";
                    /** @description The endpoint's host (and port): never its path or query, which may hold the receiver's secrets */
                    host: string;
                    /** @description Attempts until the endpoint took it; 0 on webhook_failed, given up after 24 h (the count is not kept) */
                    attempts: number;
                };
            }[];
            /** @description Credits the live messages of this session cost (0 for sandbox) */
            cost: number;
            fallback?: {
                /** @description In order: only the first gets a code at once, each next one when the previous fails */
                channels: ("email" | "sms" | "whatsapp" | "voice")[];
                /** @description How long each channel gets to be verified before the next one gets a code */
                after_seconds: number;
                /** @description When the next channel gets a code unless the session is verified first */
                next_fallback_at: string | null;
            };
            /** @description The session's history in the Temporal Web UI (null when no UI is configured) */
            temporal_ui_url: string | null;
        };
        SessionList: {
            /** @description Newest first */
            data: {
                session_id: string;
                /** @enum {string} */
                status: "pending" | "partial" | "verified" | "locked" | "expired" | "cancelled" | "failed";
                channels: ("email" | "sms" | "whatsapp" | "voice")[];
                sandbox: boolean;
                purpose: string | null;
                /** Format: date-time */
                created_at: string;
                closed_at: string | null;
            }[];
            next_cursor: string | null;
        };
        Health: {
            /** @constant */
            status: "ok";
        };
        Readiness: {
            /** @enum {string} */
            status: "ready" | "unavailable";
            /**
             * @description Why not ready (the details are in the API log)
             * @enum {string}
             */
            reason?: "temporal_unreachable" | "no_worker_polling";
        };
        Balance: {
            /** @description The tenant's balance; null for a tenant without a balance limit */
            credits: number | null;
        };
        FraudOverview: {
            /** @description The detector's sliding window */
            window_minutes: number;
            blocks: {
                /** @enum {string} */
                channel: "sms" | "whatsapp" | "voice";
                /** @enum {string} */
                scope: "range" | "country";
                /** @description The range (an E.164 prefix) or the country (ISO 3166-1 alpha-2) */
                subject: string;
                /** @description `<channel>:<subject>`: the key that lifts it (DELETE …/fraud/blocks/{scope}/{key}) */
                key: string;
                /** Format: date-time */
                until: string;
                /** @description This block included: each one within 24 h lasts twice the last */
                blocks_in_24h: number;
            }[];
            countries: {
                /** @enum {string} */
                channel: "sms" | "whatsapp" | "voice";
                country: string;
                sends: number;
                verified: number;
                /** @description verified / sends */
                conversion: number | null;
            }[];
        };
        Insights: {
            /** Format: date */
            from: string;
            /** Format: date */
            to: string;
            /** @enum {string} */
            group_by: "channel" | "country" | "purpose";
            data: {
                /** Format: date */
                date: string;
                /** @description The channel, country (ISO 3166-1 alpha-2, or "unknown") or purpose ("none") */
                value: string;
                /** @description Messages sent (first sends, resends, fallback steps) */
                sends: number;
                /** @description Sessions verified, counted under each channel and country they were sent on */
                verified: number;
                /** @description verified / sends */
                conversion: number | null;
                /** @description Credits the messages cost (0 for a tenant without a balance, and in sandbox) */
                credits: number;
            }[];
        };
        CreditChange: {
            /** @description The new balance */
            set?: number;
            /** @description Credits to add (negative: to take away) */
            add?: number;
            /** @description Kept in the audit trail */
            reason?: string;
        };
        Error: {
            statusCode: number;
            message: string;
            /** @description The HTTP reason phrase */
            error: string;
            /** @enum {string} */
            code: "validation_error" | "invalid_json" | "invalid_api_key" | "session_not_found" | "session_expired" | "already_verified" | "session_locked" | "session_cancelled" | "session_failed" | "invalid_otp" | "code_not_active" | "max_attempts_exceeded" | "insufficient_balance" | "forbidden" | "recipient_blocked" | "not_found" | "method_not_allowed" | "payload_too_large" | "unsupported_media_type" | "idempotency_key_reused" | "cooldown_active" | "resend_limit_reached" | "rate_limited" | "internal_error" | "service_unavailable";
            details?: {
                path: string;
                message: string;
            }[];
            /** @description seconds (also sent as the Retry-After header) */
            retry_after?: number;
            /**
             * @description recipient_blocked: the number type, the country, or suspected SMS pumping (SPEC §11)
             * @enum {string}
             */
            reason?: "number_type" | "country" | "suspected_fraud";
            /**
             * @description recipient_blocked: the channel whose recipient is refused
             * @enum {string}
             */
            channel?: "email" | "sms" | "whatsapp" | "voice";
            attempts_remaining?: number;
            results?: {
                [key: string]: "verified" | "invalid" | "already_verified" | "not_checked";
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    sendOtp: {
        parameters: {
            query?: never;
            header?: {
                /** @description The same key and body from the same tenant and key mode return the same session (same session_id and token); the same key with another body answers 422 idempotency_key_reused */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SendRequest"];
            };
        };
        responses: {
            /** @description Session started (also for an Idempotency-Key repeat) */
            201: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SendResponse"];
                };
            };
            /** @description `validation_error`: the body, query or a header fails the schema; `details` lists each problem with its path; `invalid_json`: the body is not well-formed JSON */
            400: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "validation_error" | "invalid_json";
                    };
                };
            };
            /** @description `invalid_api_key`: `X-API-Key` missing, unknown or revoked */
            401: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "invalid_api_key";
                    };
                };
            };
            /** @description `insufficient_balance`: a live message would cost more credits than the tenant's balance */
            402: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "insufficient_balance";
                    };
                };
            };
            /** @description `recipient_blocked`: the fraud defence refuses this phone recipient (SPEC §11): `reason` is `number_type`, `country` or `suspected_fraud` (with `retry_after`), `channel` names the recipient's channel */
            403: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "recipient_blocked";
                    };
                };
            };
            /** @description `payload_too_large`: the body is over 64 KiB */
            413: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "payload_too_large";
                    };
                };
            };
            /** @description `unsupported_media_type`: a body that is not application/json */
            415: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "unsupported_media_type";
                    };
                };
            };
            /** @description `idempotency_key_reused`: the Idempotency-Key was already used with another request body */
            422: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "idempotency_key_reused";
                    };
                };
            };
            /** @description `rate_limited`: a cross-session limit (per address, per client IP, failures per address, live sends per number range); see retry_after */
            429: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    /** @description Seconds to wait (the body's retry_after); sent with cooldown_active, rate_limited and a recipient_blocked for suspected fraud */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "rate_limited";
                    };
                };
            };
            /** @description `internal_error`: an unexpected failure (logged with the request id) */
            500: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "internal_error";
                    };
                };
            };
            /** @description `service_unavailable`: Temporal or a store cannot be reached */
            503: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    verifyOtp: {
        parameters: {
            query?: never;
            header?: {
                /** @description A retry with the same key (same tenant, key mode and session) gets the first outcome and is not run again */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VerifyRequest"];
            };
        };
        responses: {
            /** @description At least one code was correct */
            200: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerifyResponse"];
                };
            };
            /** @description `validation_error`: the body, query or a header fails the schema; `details` lists each problem with its path; `invalid_json`: the body is not well-formed JSON; `session_not_found`: token forged, expired or another tenant's, or no such session (for this key's mode); `session_expired`: the session's expiry passed; `already_verified`: the session is already verified; `session_cancelled`: the session was cancelled; `session_failed`: delivery failed for good on every channel; `session_locked`: too many failed attempts; `retry_after` when the lockout ends before the session expires; `invalid_otp`: every submitted code was wrong; `attempts_remaining` and `results`; `code_not_active`: a submitted channel has no usable code (delivery failed or still under way): resend; `max_attempts_exceeded`: this call's failures reached max_attempts: the session is now locked */
            400: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "validation_error" | "invalid_json" | "session_not_found" | "session_expired" | "already_verified" | "session_cancelled" | "session_failed" | "session_locked" | "invalid_otp" | "code_not_active" | "max_attempts_exceeded";
                    };
                };
            };
            /** @description `invalid_api_key`: `X-API-Key` missing, unknown or revoked */
            401: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "invalid_api_key";
                    };
                };
            };
            /** @description `payload_too_large`: the body is over 64 KiB */
            413: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "payload_too_large";
                    };
                };
            };
            /** @description `unsupported_media_type`: a body that is not application/json */
            415: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "unsupported_media_type";
                    };
                };
            };
            /** @description `rate_limited`: a cross-session limit (per address, per client IP, failures per address, live sends per number range); see retry_after */
            429: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    /** @description Seconds to wait (the body's retry_after); sent with cooldown_active, rate_limited and a recipient_blocked for suspected fraud */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "rate_limited";
                    };
                };
            };
            /** @description `internal_error`: an unexpected failure (logged with the request id) */
            500: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "internal_error";
                    };
                };
            };
            /** @description `service_unavailable`: Temporal or a store cannot be reached */
            503: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    resendOtp: {
        parameters: {
            query?: never;
            header?: {
                /** @description A retry with the same key (same tenant, key mode and session) gets the first outcome and is not run again */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResendRequest"];
            };
        };
        responses: {
            /** @description Codes resent */
            200: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResendResponse"];
                };
            };
            /** @description `validation_error`: the body, query or a header fails the schema; `details` lists each problem with its path; `invalid_json`: the body is not well-formed JSON; `session_not_found`: token forged, expired or another tenant's, or no such session (for this key's mode); `session_expired`: the session's expiry passed; `already_verified`: the session is already verified; `session_cancelled`: the session was cancelled; `session_failed`: delivery failed for good on every channel; `session_locked`: too many failed attempts; `retry_after` when the lockout ends before the session expires */
            400: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "validation_error" | "invalid_json" | "session_not_found" | "session_expired" | "already_verified" | "session_cancelled" | "session_failed" | "session_locked";
                    };
                };
            };
            /** @description `invalid_api_key`: `X-API-Key` missing, unknown or revoked */
            401: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "invalid_api_key";
                    };
                };
            };
            /** @description `insufficient_balance`: a live message would cost more credits than the tenant's balance */
            402: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "insufficient_balance";
                    };
                };
            };
            /** @description `recipient_blocked`: the fraud defence refuses this phone recipient (SPEC §11): `reason` is `number_type`, `country` or `suspected_fraud` (with `retry_after`), `channel` names the recipient's channel */
            403: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "recipient_blocked";
                    };
                };
            };
            /** @description `payload_too_large`: the body is over 64 KiB */
            413: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "payload_too_large";
                    };
                };
            };
            /** @description `unsupported_media_type`: a body that is not application/json */
            415: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "unsupported_media_type";
                    };
                };
            };
            /** @description `cooldown_active`: a resend inside the cooldown; `retry_after` and the Retry-After header say when; `resend_limit_reached`: the session was already resent max_resends times; `rate_limited`: a cross-session limit (per address, per client IP, failures per address, live sends per number range); see retry_after */
            429: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    /** @description Seconds to wait (the body's retry_after); sent with cooldown_active, rate_limited and a recipient_blocked for suspected fraud */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "cooldown_active" | "resend_limit_reached" | "rate_limited";
                    };
                };
            };
            /** @description `internal_error`: an unexpected failure (logged with the request id) */
            500: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "internal_error";
                    };
                };
            };
            /** @description `service_unavailable`: Temporal or a store cannot be reached */
            503: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    listSessions: {
        parameters: {
            query?: {
                status?: "pending" | "partial" | "verified" | "locked" | "expired" | "cancelled" | "failed";
                channel?: "email" | "sms" | "whatsapp" | "voice";
                sandbox?: "true" | "false";
                purpose?: string;
                created_after?: string;
                created_before?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of sessions */
            200: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionList"];
                };
            };
            /** @description `validation_error`: the body, query or a header fails the schema; `details` lists each problem with its path */
            400: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "validation_error";
                    };
                };
            };
            /** @description `invalid_api_key`: `X-API-Key` missing, unknown or revoked */
            401: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "invalid_api_key";
                    };
                };
            };
            /** @description `internal_error`: an unexpected failure (logged with the request id) */
            500: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "internal_error";
                    };
                };
            };
            /** @description `service_unavailable`: Temporal or a store cannot be reached */
            503: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session */
            200: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionDetail"];
                };
            };
            /** @description `session_not_found`: token forged, expired or another tenant's, or no such session (for this key's mode) */
            400: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "session_not_found";
                    };
                };
            };
            /** @description `invalid_api_key`: `X-API-Key` missing, unknown or revoked */
            401: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "invalid_api_key";
                    };
                };
            };
            /** @description `internal_error`: an unexpected failure (logged with the request id) */
            500: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "internal_error";
                    };
                };
            };
            /** @description `service_unavailable`: Temporal or a store cannot be reached */
            503: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    cancelSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description A retry with the same key (same tenant, key mode and session) gets the first outcome and is not run again */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cancelled session */
            200: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionDetail"];
                };
            };
            /** @description `validation_error`: the body, query or a header fails the schema; `details` lists each problem with its path; `invalid_json`: the body is not well-formed JSON; `session_not_found`: token forged, expired or another tenant's, or no such session (for this key's mode); `session_expired`: the session's expiry passed; `already_verified`: the session is already verified; `session_cancelled`: the session was cancelled; `session_failed`: delivery failed for good on every channel */
            400: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "validation_error" | "invalid_json" | "session_not_found" | "session_expired" | "already_verified" | "session_cancelled" | "session_failed";
                    };
                };
            };
            /** @description `invalid_api_key`: `X-API-Key` missing, unknown or revoked */
            401: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "invalid_api_key";
                    };
                };
            };
            /** @description `payload_too_large`: the body is over 64 KiB */
            413: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "payload_too_large";
                    };
                };
            };
            /** @description `unsupported_media_type`: a body that is not application/json */
            415: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "unsupported_media_type";
                    };
                };
            };
            /** @description `internal_error`: an unexpected failure (logged with the request id) */
            500: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "internal_error";
                    };
                };
            };
            /** @description `service_unavailable`: Temporal or a store cannot be reached */
            503: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    getBalance: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The balance */
            200: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Balance"];
                };
            };
            /** @description `invalid_api_key`: `X-API-Key` missing, unknown or revoked */
            401: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "invalid_api_key";
                    };
                };
            };
            /** @description `internal_error`: an unexpected failure (logged with the request id) */
            500: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "internal_error";
                    };
                };
            };
            /** @description `service_unavailable`: Temporal or a store cannot be reached */
            503: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    getInsights: {
        parameters: {
            query?: {
                /** @description Default: six days before `to` */
                from?: string;
                /** @description Default: today (UTC) */
                to?: string;
                group_by?: "channel" | "country" | "purpose";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One row per day and value */
            200: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Insights"];
                };
            };
            /** @description `validation_error`: the body, query or a header fails the schema; `details` lists each problem with its path */
            400: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "validation_error";
                    };
                };
            };
            /** @description `invalid_api_key`: `X-API-Key` missing, unknown or revoked */
            401: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "invalid_api_key";
                    };
                };
            };
            /** @description `internal_error`: an unexpected failure (logged with the request id) */
            500: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "internal_error";
                    };
                };
            };
            /** @description `service_unavailable`: Temporal or a store cannot be reached */
            503: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    adjustCredits: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreditChange"];
            };
        };
        responses: {
            /** @description The new balance */
            200: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Balance"];
                };
            };
            /** @description `validation_error`: the body, query or a header fails the schema; `details` lists each problem with its path; `invalid_json`: the body is not well-formed JSON */
            400: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "validation_error" | "invalid_json";
                    };
                };
            };
            /** @description `invalid_api_key`: `X-API-Key` missing, unknown or revoked */
            401: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "invalid_api_key";
                    };
                };
            };
            /** @description `not_found`: no such route (or tenant) */
            404: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "not_found";
                    };
                };
            };
            /** @description `payload_too_large`: the body is over 64 KiB */
            413: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "payload_too_large";
                    };
                };
            };
            /** @description `unsupported_media_type`: a body that is not application/json */
            415: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "unsupported_media_type";
                    };
                };
            };
            /** @description `internal_error`: an unexpected failure (logged with the request id) */
            500: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "internal_error";
                    };
                };
            };
            /** @description `service_unavailable`: Temporal or a store cannot be reached */
            503: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    getFraudOverview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Blocks and window figures */
            200: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FraudOverview"];
                };
            };
            /** @description `invalid_api_key`: `X-API-Key` missing, unknown or revoked */
            401: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "invalid_api_key";
                    };
                };
            };
            /** @description `not_found`: no such route (or tenant) */
            404: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "not_found";
                    };
                };
            };
            /** @description `internal_error`: an unexpected failure (logged with the request id) */
            500: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "internal_error";
                    };
                };
            };
            /** @description `service_unavailable`: Temporal or a store cannot be reached */
            503: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    liftFraudBlock: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant: string;
                scope: "range" | "country";
                /** @description `<channel>:<subject>` as the overview lists it, e.g. `sms:+1415555` or `sms:NG` */
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Lifted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `validation_error`: the body, query or a header fails the schema; `details` lists each problem with its path */
            400: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "validation_error";
                    };
                };
            };
            /** @description `invalid_api_key`: `X-API-Key` missing, unknown or revoked */
            401: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "invalid_api_key";
                    };
                };
            };
            /** @description `not_found`: no such route (or tenant) */
            404: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "not_found";
                    };
                };
            };
            /** @description `internal_error`: an unexpected failure (logged with the request id) */
            500: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "internal_error";
                    };
                };
            };
            /** @description `service_unavailable`: Temporal or a store cannot be reached */
            503: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    twilioStatusCallback: {
        parameters: {
            query: {
                /** @description Set by the product in the StatusCallback URL it gave Twilio */
                workflow: string;
                /** @description Set by the product in the StatusCallback URL it gave Twilio */
                channel: string;
                /** @description Set by the product in the StatusCallback URL it gave Twilio */
                issue: string;
            };
            header: {
                /** @description Twilio's HMAC-SHA1 (base64) of the URL and the sorted parameters, keyed with the auth token */
                "X-Twilio-Signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    MessageSid?: string;
                    MessageStatus?: string;
                    CallSid?: string;
                    CallStatus?: string;
                    ErrorCode?: string;
                };
            };
        };
        responses: {
            /** @description Taken (whether or not it changed a session) */
            204: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `forbidden`: a provider callback without a valid signature (X-Twilio-Signature) */
            403: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "forbidden";
                    };
                };
            };
            /** @description `payload_too_large`: the body is over 64 KiB */
            413: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "payload_too_large";
                    };
                };
            };
            /** @description `unsupported_media_type`: a body that is not application/json */
            415: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "unsupported_media_type";
                    };
                };
            };
            /** @description `internal_error`: an unexpected failure (logged with the request id) */
            500: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "internal_error";
                    };
                };
            };
            /** @description `service_unavailable`: Temporal or a store cannot be reached */
            503: {
                headers: {
                    /** @description Always no-store */
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    openApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OpenAPI 3.1 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    readiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description Not ready, with a reason code (the details are in the API log) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
}
