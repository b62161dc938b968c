import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import type { Database } from '../db/database.js';
import { hashPassword, verifyPassword, LoginFailureWindow, type PasswordHashOptions } from '../domain/index.js';
import { errorSchema } from '../http/index.js';
import { authenticate, bearerToken } from './authenticate.js';
import { closeSession, openSession } from './sessions.js';
import { findUserByLogin, type Role } from './user-store.js';

export interface LoginRoutesOptions {
  db: Database;
  log: Logger;
  /** Who may log in here: customers at the Shop, staff at CRM and MES. */
  roles: readonly Role[];
  /** Counts failures for R16; one per service. */
  failures: LoginFailureWindow;
  /** How long a session lives (default 12 h, one working shift). */
  sessionTtlMs?: number;
  passwordHashing?: PasswordHashOptions;
}

const loginSchema = {
  summary: 'Log in; returns a bearer token',
  tags: ['auth'],
  body: {
    type: 'object',
    required: ['login', 'password'],
    additionalProperties: false,
    properties: { login: { type: 'string', minLength: 1, maxLength: 200 }, password: { type: 'string', minLength: 1, maxLength: 1000 } },
  },
  response: {
    200: {
      type: 'object',
      properties: { token: { type: 'string' }, userId: { type: 'string' }, role: { type: 'string' }, expiresAt: { type: 'string' } },
    },
    401: errorSchema,
  },
};

/**
 * `POST /auth/login` and `POST /auth/logout`. Logs R16: a login, or a failed one with the
 * failures in the window for that login or address, at WARN from the third (brute force).
 */
export const loginRoutes: FastifyPluginAsync<LoginRoutesOptions> = async (app, options) => {
  const { db, log, roles, failures } = options;
  const ttlMs = options.sessionTtlMs ?? 12 * 3_600_000;
  // Unknown logins are checked against this hash too, so timing does not tell which logins exist.
  const decoy = hashPassword('not a password', options.passwordHashing);

  app.post<{ Body: { login: string; password: string } }>('/auth/login', { schema: loginSchema }, async (request) => {
    const { login, password } = request.body;
    const user = await findUserByLogin(db, login, roles);
    const valid = await verifyPassword(password, user?.passwordHash ?? (await decoy));
    if (!user || !valid) {
      const count = failures.recordFailure(login, request.ip);
      log.userLoginFailed({
        login, clientIp: request.ip, outcome: 'failure', failuresInWindow: count.failuresInWindow,
        ...(user && { userId: user.id }), ...(count.suspicious && { level: 'warn' as const }),
      });
      throw new LoupeError('AUTH_FAILED', 'Wrong login or password', 401);
    }
    failures.recordSuccess(login);
    const session = await openSession(db, user.id, ttlMs);
    request.userId = user.id;
    log.userLoggedIn({ userId: user.id, clientIp: request.ip, outcome: 'success' });
    return { token: session.token, userId: user.id, role: user.role, expiresAt: session.expiresAt };
  });

  app.post('/auth/logout', {
    schema: { summary: 'End the session', tags: ['auth'], security: [{ session: [] }], response: { 204: { type: 'null' } } },
    preHandler: authenticate({ db, roles }),
  }, async (request, reply) => {
    await closeSession(db, bearerToken(request)!);
    return reply.status(204).send();
  });
};
