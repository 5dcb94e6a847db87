import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
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
  });
}
