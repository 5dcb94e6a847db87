/** An error the user can fix: printed as one line, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Bad command line: exit code 2, as most Unix tools do. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
  }
}
