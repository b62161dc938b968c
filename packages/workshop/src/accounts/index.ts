export { createUser, findUser, findUserByLogin, updateUser, type NewUser, type Role, type User, type UserChanges } from './user-store.js';
export { openSession, sessionUser, closeSession, type AuthenticatedUser, type Session } from './sessions.js';
export { authenticate, bearerToken, type AuthenticateOptions } from './authenticate.js';
export { loginRoutes, type LoginRoutesOptions } from './login-routes.js';
