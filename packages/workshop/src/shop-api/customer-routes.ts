import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from '@loupe/log';
import type { Database } from '../db/index.js';
import type { PasswordHashOptions } from '../domain/index.js';
import { authenticate, createUser, findUser, updateUser, type UserChanges } from '../accounts/index.js';
import { errorSchema } from '../http/index.js';

export interface CustomerRoutesOptions {
  db: Database;
  log: Logger;
  passwordHashing?: PasswordHashOptions;
}

const profileProperties = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  phone: { type: 'string', pattern: '^\\+?[0-9 ()-]{7,20}$' },
  address: { type: 'string', maxLength: 500 },
} as const;

const registerSchema = {
  summary: 'Register a customer account',
  tags: ['customers'],
  body: {
    type: 'object',
    required: ['email', 'password', 'name'],
    additionalProperties: false,
    properties: {
      email: { type: 'string', format: 'email', maxLength: 200 },
      password: { type: 'string', minLength: 8, maxLength: 1000 },
      ...profileProperties,
    },
  },
  response: {
    201: { type: 'object', properties: { customerId: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' } } },
    409: errorSchema,
  },
} as const;

interface Registration {
  email: string;
  password: string;
  name: string;
  phone?: string;
  address?: string;
}

const profileSchema = {
  type: 'object',
  properties: { customerId: { type: 'string' }, email: { type: 'string' }, ...profileProperties },
} as const;

/**
 * `POST /customers`: a new customer account (R16 user created; the e-mail is the login).
 * `GET|PATCH /customers/me`: the customer's own profile (R16 user updated).
 */
export const customerRoutes: FastifyPluginAsync<CustomerRoutesOptions> = async (app, { db, log, passwordHashing }) => {
  app.post<{ Body: Registration }>('/customers', { schema: registerSchema }, async (request, reply) => {
    const { email, password, name, phone, address } = request.body;
    const user = await createUser(db, { role: 'customer', login: email, password, name, ...(phone && { phone }), ...(address && { address }) }, passwordHashing);
    request.userId = user.id;
    log.userCreated({ userId: user.id, login: email, clientIp: request.ip, outcome: 'success' });
    return reply.status(201).send({ customerId: user.id, email, name });
  });

  const signedIn = authenticate({ db, roles: ['customer'] });
  const security = [{ session: [] }];

  app.get('/customers/me', { preHandler: signedIn, schema: { summary: 'My profile', tags: ['customers'], security, response: { 200: profileSchema, 401: errorSchema } } }, async (request) => {
    const user = (await findUser(db, request.user!.id))!;
    return { customerId: user.id, email: user.login, name: user.name, phone: user.phone, address: user.address };
  });

  app.patch<{ Body: UserChanges }>('/customers/me', {
    preHandler: signedIn,
    schema: {
      summary: 'Change my name, phone, address or password', tags: ['customers'], security,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { ...profileProperties, password: { type: 'string', minLength: 8, maxLength: 1000 } } },
      response: { 200: profileSchema, 400: errorSchema, 401: errorSchema },
    },
  }, async (request) => {
    const changed = await updateUser(db, request.user!.id, request.body, passwordHashing);
    log.userUpdated({ userId: request.user!.id, clientIp: request.ip, outcome: 'success' });
    log.debug(`Customer ${request.user!.id} changed ${changed.join(', ')}`, { 'user.id': request.user!.id });
    const user = (await findUser(db, request.user!.id))!;
    return { customerId: user.id, email: user.login, name: user.name, phone: user.phone, address: user.address };
  });
};
