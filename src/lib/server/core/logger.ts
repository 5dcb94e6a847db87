import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * `fd` 2 sends logs to stderr, so that one-shot CLI commands keep stdout for their result (a token a script
 * captures). Synchronous so that a command's last lines are not lost when it exits.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', fd?: 1 | 2): Logger {
  return pino(
    {
      level,
      // Never let credentials reach the log, whatever a caller passes in.
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
    fd ? pino.destination({ fd, sync: true }) : undefined,
  );
}
