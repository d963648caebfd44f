// A failed API call, carrying the metav1.Status the server sent (or one made
// up from the HTTP code when the body was not a Status, as client-go does).

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

const reasonByCode: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export class ApiStatusError extends Error {
  readonly code: number;
  readonly reason: string;

  constructor(readonly status: Status) {
    super(status.message || `the server responded with status ${status.code}`);
    this.name = 'ApiStatusError';
    this.code = status.code;
    this.reason = status.reason ?? '';
  }

  /** Builds the error from an HTTP response code and body text. */
  static fromResponse(httpCode: number, bodyText: string): ApiStatusError {
    let parsed: any;
    try {
      parsed = JSON.parse(bodyText);
    } catch {
      parsed = undefined;
    }
    if (parsed && parsed.kind === 'Status') {
      return new ApiStatusError({ ...parsed, code: typeof parsed.code === 'number' && parsed.code ? parsed.code : httpCode });
    }
    const reason = reasonByCode[httpCode] ?? 'Unknown';
    const text = bodyText.trim();
    return new ApiStatusError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      reason,
      message: text ? `an error on the server ("${text.slice(0, 200)}") has prevented the request from succeeding` : `the server responded with status ${httpCode}`,
      code: httpCode,
    });
  }
}

const codeIs = (code: number, reason?: string) => (e: unknown): boolean =>
  e instanceof ApiStatusError && (e.code === code || (reason !== undefined && e.reason === reason));

export const isNotFound = codeIs(404, 'NotFound');
export const isConflict = (e: unknown): boolean => e instanceof ApiStatusError && e.code === 409 && e.reason !== 'AlreadyExists';
export const isAlreadyExists = (e: unknown): boolean => e instanceof ApiStatusError && e.reason === 'AlreadyExists';
export const isInvalid = codeIs(422, 'Invalid');
/** 410 Gone / Expired: a watch or continue token asked for history the server no longer has. */
export const isResourceExpired = (e: unknown): boolean =>
  e instanceof ApiStatusError && (e.code === 410 || e.reason === 'Expired' || e.reason === 'Gone');
