/**
 * A matcher for an AMQP topic binding, as RabbitMQ applies it: the key and the pattern are
 * words split on "."; `*` stands for exactly one word, `#` for zero or more.
 */
export function compileTopicPattern(pattern: string): (routingKey: string) => boolean {
  const words = pattern.split('.');
  if (!words.includes('*') && !words.includes('#')) return (routingKey) => routingKey === pattern;
  return (routingKey) => matchWords(words, routingKey.split('.'), 0, 0);
}

function matchWords(pattern: string[], key: string[], p: number, k: number): boolean {
  if (p === pattern.length) return k === key.length;
  const word = pattern[p];
  if (word === '#') return matchWords(pattern, key, p + 1, k) || (k < key.length && matchWords(pattern, key, p, k + 1));
  if (k === key.length) return false;
  return (word === '*' || word === key[k]) && matchWords(pattern, key, p + 1, k + 1);
}
