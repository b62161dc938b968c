import { LoupeError } from '@loupe/schema';
import type { Database } from '../db/database.js';
import { hashPassword, type PasswordHashOptions } from '../domain/index.js';

export type Role = 'customer' | 'operator' | 'manager';

export interface User {
  id: string;
  role: Role;
  login: string;
  name: string;
  phone?: string;
  address?: string;
  createdAt: string;
}

export interface NewUser {
  role: Role;
  login: string;
  password: string;
  name: string;
  phone?: string;
  address?: string;
}

interface UserRow {
  id: string;
  role: Role;
  login: string;
  name: string;
  phone: string | null;
  address: string | null;
  created_at: Date;
  password_hash: string;
}

const USER_COLUMNS = 'id, role, login, name, phone, address, created_at, password_hash';

export function toUser(row: UserRow): User {
  return {
    id: row.id, role: row.role, login: row.login, name: row.name, createdAt: row.created_at.toISOString(),
    ...(row.phone && { phone: row.phone }), ...(row.address && { address: row.address }),
  };
}

/**
 * Customers are `CUS-n`, staff `OPR-n`: an id says which kind of person it is in every log line.
 * A login already taken is 409 USER_EXISTS. The INSERT skips it (ON CONFLICT) rather than failing:
 * a customer registering twice is not a database error, and must not log one (R15).
 */
export async function createUser(db: Database, user: NewUser, hashing?: PasswordHashOptions): Promise<User> {
  const passwordHash = await hashPassword(user.password, hashing);
  const prefix = user.role === 'customer' ? `'CUS-' || nextval('customer_number_seq')` : `'OPR-' || nextval('staff_number_seq')`;
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (id, role, login, password_hash, name, phone, address)
     VALUES (${prefix}, $1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING ${USER_COLUMNS}`,
    [user.role, user.login, passwordHash, user.name, user.phone ?? null, user.address ?? null],
  );
  if (!rows[0]) throw new LoupeError('USER_EXISTS', 'An account with this login already exists; log in or choose another login', 409);
  return toUser(rows[0]);
}

/** The user with this login (case-insensitive) and one of `roles`, with the stored password hash. */
export async function findUserByLogin(db: Database, login: string, roles: readonly Role[]): Promise<(User & { passwordHash: string }) | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE lower(login) = lower($1) AND role = ANY($2)`, [login, roles]);
  const row = rows[0];
  return row && { ...toUser(row), passwordHash: row.password_hash };
}

export async function findUser(db: Database, id: string): Promise<User | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0] && toUser(rows[0]);
}

export interface UserChanges {
  name?: string;
  phone?: string;
  address?: string;
  password?: string;
}

/** Updates the named fields (a new password is hashed); returns the fields changed, by name. */
export async function updateUser(db: Database, id: string, changes: UserChanges, hashing?: PasswordHashOptions): Promise<string[]> {
  const columns: Record<string, unknown> = {
    ...(changes.name !== undefined && { name: changes.name }),
    ...(changes.phone !== undefined && { phone: changes.phone }),
    ...(changes.address !== undefined && { address: changes.address }),
    ...(changes.password !== undefined && { password_hash: await hashPassword(changes.password, hashing) }),
  };
  const names = Object.keys(columns);
  if (names.length === 0) return [];
  await db.query(
    `UPDATE users SET ${names.map((name, i) => `${name} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`,
    [id, ...names.map((name) => columns[name])],
  );
  return Object.keys(changes).filter((key) => changes[key as keyof UserChanges] !== undefined);
}
