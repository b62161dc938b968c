/**
 * The fields a log line holds for an Error (R20): ECS's `type`, `message` and `stack_trace`,
 * then the error's own enumerable properties (Node's `code` and `errno`, a driver's `detail`,
 * an application's `details`), as pino's error serialiser keeps them. `JSON.stringify` would
 * write only those properties, as message and stack are not enumerable. The logger writes
 * these fields and `maskRecord` masks them, so a masked line and a plain one look alike.
 */
export function errorFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { type: error.name, message: error.message, stack_trace: error.stack };
  for (const key of Object.keys(error)) {
    if (Object.prototype.hasOwnProperty.call(fields, key) || key === '__proto__') continue;
    try {
      fields[key] = (error as unknown as Record<string, unknown>)[key];
    } catch {
      // A getter that throws: the property is left out, as the logger never throws at its caller.
    }
  }
  return fields;
}
