import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import type { Database } from '../db/index.js';
import { verifyPassword, type PasswordHashOptions } from '../domain/index.js';
import { authenticate, createUser, findUserByLogin, updateUser, type User } from '../accounts/index.js';
import { errorSchema } from '../http/index.js';

export interface StaffAccount {
  login: string;
  password: string;
  name: string;
  role: 'operator' | 'manager';
}

/**
 * Start-up provisioning: creates a staff account unless its login exists, and gives an existing
 * one this password when it has another, since a restart on the same data brings a new password
 * made for the run (or another LOUPE_STAFF_PASSWORD). Logs R16 when it creates or changes one.
 */
export async function ensureStaffAccount(db: Database, log: Logger, account: StaffAccount, hashing?: PasswordHashOptions): Promise<User> {
  const existing = await findUserByLogin(db, account.login, ['operator', 'manager']);
  if (!existing) {
    const user = await createUser(db, account, hashing);
    log.userCreated({ userId: user.id, login: account.login, outcome: 'success' });
    return user;
  }
  const { passwordHash, ...user } = existing;
  if (!(await verifyPassword(account.password, passwordHash))) {
    await updateUser(db, user.id, { password: account.password }, hashing);
    log.userUpdated({ userId: user.id, login: account.login, outcome: 'success' });
  }
  return user;
}

export interface StaffRoutesOptions {
  db: Database;
  log: Logger;
  passwordHashing?: PasswordHashOptions;
}

/** `POST /staff`: a manager creates an operator or manager account (R16). */
export const staffRoutes: FastifyPluginAsync<StaffRoutesOptions> = async (app, { db, log, passwordHashing }) => {
  app.post<{ Body: StaffAccount }>('/staff', {
    preHandler: authenticate({ db, roles: ['manager'] }),
    schema: {
      summary: 'Create a staff account (managers only)',
      tags: ['staff'],
      security: [{ session: [] }],
      body: {
        type: 'object',
        required: ['login', 'password', 'name', 'role'],
        additionalProperties: false,
        properties: {
          login: { type: 'string', minLength: 3, maxLength: 200 },
          password: { type: 'string', minLength: 10, maxLength: 1000 },
          name: { type: 'string', minLength: 1, maxLength: 200 },
          role: { type: 'string', enum: ['operator', 'manager'] },
        },
      },
      response: { 201: { type: 'object', properties: { userId: { type: 'string' }, role: { type: 'string' } } }, 401: errorSchema, 403: errorSchema, 409: errorSchema },
    },
  }, async (request, reply) => {
    if (await findUserByLogin(db, request.body.login, ['customer'])) {
      throw new LoupeError('USER_EXISTS', 'This login belongs to a customer account; staff use their own', 409);
    }
    const user = await createUser(db, request.body, passwordHashing);
    log.userCreated({ userId: user.id, login: request.body.login, clientIp: request.ip, outcome: 'success' });
    return reply.status(201).send({ userId: user.id, role: user.role });
  });
};
