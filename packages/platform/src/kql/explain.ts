import { freeTextField, type KqlNode, type KqlRange } from './ast.js';

const rangeWords: Record<KqlRange['op'], string> = { '>': 'is greater than', '>=': 'is at least', '<': 'is less than', '<=': 'is at most' };

/**
 * The query in plain English, for the console to show under the search box:
 * `service.name is "mes-api" and log.level is "error" and the message contains "timeout"`.
 */
export function explainKql(node: KqlNode): string {
  switch (node.kind) {
    case 'all': return 'every log line';
    case 'and': return node.children.map((child) => (child.kind === 'or' ? `(${explainKql(child)})` : explainKql(child))).join(' and ');
    case 'or': return node.children.map((child) => (child.kind === 'and' ? `(${explainKql(child)})` : explainKql(child))).join(' or ');
    case 'not': return explainNot(node.child);
    case 'exists': return `${node.field} exists`;
    case 'range': return `${node.field} ${rangeWords[node.op]} ${/^[+-]?\d+(?:\.\d+)?$/.test(node.value) ? node.value : quote(node.value)}`;
    case 'text': return `the message ${messageTerms(node)}`;
    case 'match':
      if (node.field === freeTextField) return `the message ${messageTerms(node)}`;
      return `${node.field} ${node.wildcard ? 'matches' : 'is'} ${quote(node.value)}`;
  }
}

function explainNot(child: KqlNode): string {
  if (child.kind === 'exists') return `${child.field} does not exist`;
  if (child.kind === 'text' || (child.kind === 'match' && child.field === freeTextField)) {
    return `the message does not ${messageTerms(child, true)}`;
  }
  if (child.kind === 'match') return `${child.field} ${child.wildcard ? 'does not match' : 'is not'} ${quote(child.value)}`;
  return `not (${explainKql(child)})`;
}

/** `contains "timeout"`, or for unquoted words (which may occur in any order) `contains all of "a", "b"`. */
function messageTerms(node: { value: string; wildcard: boolean; phrase: boolean }, negated = false): string {
  const verb = node.wildcard ? (negated ? 'match' : 'matches') : negated ? 'contain' : 'contains';
  const words = node.phrase ? [node.value] : node.value.split(/\s+/).filter((word) => word !== '');
  return words.length > 1 ? `${verb} all of ${words.map(quote).join(', ')}` : `${verb} ${quote(node.value)}`;
}

function quote(value: string): string {
  return JSON.stringify(value);
}
