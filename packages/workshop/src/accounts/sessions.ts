import type { Database } from '../db/database.js';
import { hashSessionToken, newSessionToken } from '../domain/index.js';
import type { Role } from './user-store.js';

export interface AuthenticatedUser {
  id: string;
  role: Role | 'service';
}

export interface Session {
  token: string;
  expiresAt: string;
}

/** Starts a session: the token goes to the client, only its hash to the database. */
export async function openSession(db: Database, userId: string, ttlMs: number): Promise<Session> {
  const token = newSessionToken();
  const expiresAt = new Date(Date.now() + ttlMs);
  await db.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [hashSessionToken(token), userId, expiresAt]);
  return { token, expiresAt: expiresAt.toISOString() };
}

/** The user a live session token belongs to. */
export async function sessionUser(db: Database, token: string): Promise<AuthenticatedUser | undefined> {
  const { rows } = await db.query<{ id: string; role: Role }>(
    'SELECT u.id, u.role FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > now()',
    [hashSessionToken(token)],
  );
  return rows[0];
}

export async function closeSession(db: Database, token: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [hashSessionToken(token)]);
}
