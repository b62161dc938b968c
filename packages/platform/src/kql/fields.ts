import { freeTextField, type KqlNode } from './ast.js';

/**
 * The fields a query reads, each once, in order of first use; free text reads `message`.
 * The access layer checks them against a user's field-level privileges.
 */
export function kqlFields(node: KqlNode): string[] {
  const fields = new Set<string>();
  const visit = (current: KqlNode): void => {
    switch (current.kind) {
      case 'all': return;
      case 'and':
      case 'or': current.children.forEach(visit); return;
      case 'not': visit(current.child); return;
      case 'text': fields.add(freeTextField); return;
      default: fields.add(current.field);
    }
  };
  visit(node);
  return [...fields];
}
