import { pino, type Logger } from 'pino';

/**
 * Logs of one-shot commands go to stderr, so that stdout carries only the result (`token create` prints a token that
 * scripts capture). Redaction matches the server logger's: credentials never reach a log.
 */
export function createCliLogger(level: string, fd: 1 | 2 = 2): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'headers.cookie',
          'headers.authorization',
          'totp',
          '*.totp',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd, sync: true }),
  );
}
