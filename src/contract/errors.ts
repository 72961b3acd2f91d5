/**
 * Errors as the API answers them (SPEC §4): `{ statusCode, message, error, code, ...extras }`,
 * with status and message from the one error catalogue the workflow uses too.
 */
import { STATUS_CODES } from 'node:http';
import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import { ERROR_CATALOGUE, type ErrorCode, type ErrorExtras } from '../../workflows/errors';

export interface ErrorBody extends ErrorExtras {
  statusCode: number;
  message: string;
  error: string;
  code: ErrorCode;
}

export class ApiError extends Error {
  readonly status: number;
  /** A refused verify's compared recipients, for the failure count; never rendered. */
  checkedRecipients?: Partial<Record<string, string>>;
  /** For rate_limited: which limit refused (recipient, ip, failures), for metrics; never rendered. */
  limit?: string;

  constructor(
    readonly code: ErrorCode,
    readonly extras: ErrorExtras = {},
    message: string = ERROR_CATALOGUE[code].message,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_CATALOGUE[code].status;
  }

  toBody(): ErrorBody {
    return {
      statusCode: this.status,
      message: this.message,
      error: STATUS_CODES[this.status] ?? 'Error',
      code: this.code,
      ...this.extras,
    };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, value);
}

const EXTRA_FIELDS = [
  'retry_after',
  'attempts_remaining',
  'results',
  'details',
  'reason',
  'channel',
] as const;

/**
 * A rule's refusal coming back from the workflow: its `type` is the catalogue code and
 * `details[0]` the extra fields. Only the known extra fields are copied into the answer.
 */
export function fromApplicationFailure(failure: ApplicationFailure): ApiError | undefined {
  if (!isErrorCode(failure.type)) return undefined;
  const carried = failure.details?.[0];
  const extras: Record<string, unknown> = {};
  if (typeof carried === 'object' && carried !== null) {
    for (const field of EXTRA_FIELDS) {
      const value = (carried as Record<string, unknown>)[field];
      if (value !== undefined) extras[field] = value;
    }
  }
  const error = new ApiError(failure.type, extras as ErrorExtras, failure.message || undefined);
  const limit = (carried as { limit?: unknown } | undefined)?.limit;
  if (typeof limit === 'string') error.limit = limit;
  return error;
}

/** `input` as `schema` parses it, or the SPEC's validation_error with each problem's path. */
export function validate<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ApiError('validation_error', {
      details: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return parsed.data;
}
