import { PASSWORD_MIN } from '../../lib/server/accounts/schema.js';
import { isRole, ROLES } from '../../lib/server/http/access.js';
import { optionalString, requireString, type Values } from '../command.js';
import { createContext, withPlatform } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { readSecretFromStdin } from '../stdin.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function userAdd(values: Values): Promise<number> {
  const email = requireString(values, 'email').toLowerCase();
  if (!EMAIL.test(email)) throw new UsageError(`--email: "${email}" is not an email address`);
  const role = requireString(values, 'role');
  if (!isRole(role)) throw new UsageError(`--role: "${role}" is not a role; use one of ${ROLES.join(', ')}`);
  if (values['password-stdin'] !== true)
    throw new UsageError('pass --password-stdin and send the password on standard input (never as an argument)');
  const name = optionalString(values, 'name');

  const ctx = createContext();
  const user = await withPlatform(ctx, async (p) => {
    // Refuse a taken address before asking for a password that would be thrown away.
    if (await p.accounts.findUserByEmail(email)) throw new CliError(`a user with email ${email} already exists`);
    const password = await readSecretFromStdin('Password: ');
    if (password.length < PASSWORD_MIN)
      throw new CliError(`password refused: it must be at least ${PASSWORD_MIN} characters`);
    return p.accounts.createUser({ email, role, password, ...(name ? { displayName: name } : {}) }, null);
  });
  console.log(`created ${role} ${email} (${user.id})`);
  return 0;
}

export async function tokenCreate(values: Values): Promise<number> {
  const email = requireString(values, 'email').toLowerCase();
  const name = requireString(values, 'name');
  const ctx = createContext();
  const token = await withPlatform(ctx, async (p) => {
    if (!(await p.accounts.findUserByEmail(email))) throw new CliError(`no user with email ${email}`);
    return (await p.accounts.createApiToken(email, name)).token;
  });
  console.log(token);
  return 0;
}
