import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { LoupeError } from '@loupe/schema';
import type { Database } from '../db/database.js';
import { sessionUser, type AuthenticatedUser } from './sessions.js';
import type { Role } from './user-store.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate`: who is calling. */
    user?: AuthenticatedUser;
  }
}

export interface AuthenticateOptions {
  db: Database;
  /** Roles whose sessions this route accepts. */
  roles: readonly Role[];
  /** Another workshop service calling with this bearer token is accepted as role `service`. */
  internalToken?: string;
}

/** The token of `Authorization: Bearer <token>`; the scheme's name is case-insensitive (RFC 9110). */
export function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * A preHandler that lets through a live session of one of `roles` (401 AUTH_REQUIRED
 * without one, 403 AUTH_FORBIDDEN for another role) and sets `request.user` and
 * `request.userId`, so the request's R1 line carries `user.id`.
 */
export function authenticate(options: AuthenticateOptions): preHandlerAsyncHookHandler {
  return async (request) => {
    const token = bearerToken(request);
    if (!token) throw new LoupeError('AUTH_REQUIRED', 'Log in first and send Authorization: Bearer <token>', 401);
    if (options.internalToken && sameSecret(token, options.internalToken)) {
      request.user = { id: 'service', role: 'service' };
      return;
    }
    const user = await sessionUser(options.db, token);
    if (!user) throw new LoupeError('AUTH_REQUIRED', 'The session has expired or does not exist; log in again', 401);
    request.userId = user.id;
    if (user.role === 'service' || !options.roles.includes(user.role)) {
      throw new LoupeError('AUTH_FORBIDDEN', `A ${user.role} account cannot use this API`, 403);
    }
    request.user = user;
  };
}
