import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler';

const compilers = AjvCompiler();

type RouteSchema = { httpPart?: string };
type Compile = (route: RouteSchema) => unknown;

/**
 * Fastify's validators, with one difference: a query string, path or header is text, so its
 * values are converted to the schema's types (`?limit=5`), but a JSON body states its types,
 * and is taken at its word: `"ringSizeMm": true` is "must be number", not read as 1 and
 * then refused as "must be >= 14". Every other Ajv option is the app's.
 */
export const buildValidator = ((externalSchemas: Parameters<ValidatorFactory>[0], options: { customOptions?: Record<string, unknown> }) => {
  const converting = compilers(externalSchemas, options as Parameters<ValidatorFactory>[1]) as unknown as Compile;
  const asSent = compilers(externalSchemas, { ...options, customOptions: { ...options.customOptions, coerceTypes: false } } as Parameters<ValidatorFactory>[1]) as unknown as Compile;
  return (route: RouteSchema) => (route.httpPart === 'body' ? asSent : converting)(route);
}) as unknown as ValidatorFactory;
