/**
 * Which field names and `key=value` keys carry personal data or secrets (R22), and of what
 * kind. One vocabulary serves `maskRecord` (dotted ECS keys) and `maskText` (`password=…`,
 * `"phone": "…"`, `X-Api-Key: …` inside free text).
 */

export type KeyKind =
  | 'secret'
  /** `Authorization`-like: the scheme word is kept, the credential masked. */
  | 'credential'
  /** Cookies: the whole header value is masked. */
  | 'cookie'
  | 'card'
  | 'passport'
  | 'inn'
  | 'snils'
  | 'phone'
  | 'email'
  | 'address'
  /** A field that only ever holds a person's name. */
  | 'personName'
  /** `customer`, `client`, `operator`…: masked when the value looks like a name (`Ivanov`, not `CUST-1042`). */
  | 'nameCue'
  /** A bare `name`: masked only when the value looks like a full name (`John Smith`, not `Gold`). */
  | 'maybeName';

const kinds: ReadonlyArray<readonly [KeyKind, string]> = [
  ['secret', `(?:${[
    // `PGPASSWORD`, `MYSQLPASSWORD`: environment names glue the owner to the word.
    '[a-z]*pass_?words?', '[a-z]*passwd', 'passphrase', 'pass', 'pwd', 'secrets?', 'client_?secret', 'token',
    // A bare `tokens` is as often a count (`completion_tokens=211`) as a list of them.
    '(?:access|refresh|auth|bearer|device|push|api|session)_?tokens',
    '(?:api|private|secret|access|signing|encryption|master|license|client)_?keys?',
    'session_?(?:id|token|key)', '(?:j|php)sess(?:ion)?id', 'connect_sid', 'credentials?', 'cvv2?', 'cvc2?', 'pin', 'pin_?code', 'otp',
    'пароль', 'токен', 'секрет', 'ключ', 'api_ключ', 'пин', 'пин_код',
  ].join('|')})(?:_(?:confirmation|confirm|repeat|again|new|old|plain|plaintext|clear))?`],
  ['credential', 'authorization|proxy_authorization'],
  ['cookie', 'cookie|set_cookie'],
  ['card', 'card|card_?(?:number|no|num|pan)|credit_card|pan|номер_карты|карта'],
  ['passport', 'passport|passport_?(?:number|no|num|series)|паспорт|серия_паспорта|номер_паспорта'],
  ['inn', 'inn|tax_?id|taxpayer_?id|инн'],
  ['snils', 'snils|снилс'],
  ['phone', 'phones?|phone_?(?:number|no|num)|mobile|mobile_phone|msisdn|tel|telephone|телефон[аы]?|тел|моб|мобильный'],
  ['email', 'emails?|e_mail|email_?address|почта|эл_почта|электронная_почта'],
  ['address', 'address(?:es)?|street|street_address|address_?line_?\\d?|(?:postal|home|shipping|billing|delivery)_?address|адрес|адрес_доставки'],
  ['personName', [
    'first_?name', 'last_?name', 'middle_?name', 'full_?name', 'given_?name', 'family_?name', 'surname', 'patronymic',
    'card_?holder', 'holder_?name', '(?:customer|client|recipient|contact|person|buyer)_?name', 'contact_?person',
    'fio', 'фио', 'имя', 'фамилия', 'отчество',
  ].join('|')],
  ['nameCue', 'customer|client|recipient|buyer|contact|operator|manager|courier|signed_by|ordered_by|attn|attention|клиент|покупатель|получатель|заказчик|оператор|менеджер|курьер'],
  ['maybeName', 'name'],
];

/** One regex over a normalised key's last segments; the named group that matched is the kind. */
const KEY_KIND = new RegExp(`(?:^|_)(?:${kinds.map(([kind, words]) => `(?<${kind}>${words})`).join('|')})$`);

/** ECS network fields named `*.address` hold IPs and host names, not postal addresses. */
const NETWORK_PARENTS = /(?:^|_)(?:client|server|source|destination|host|observer|network|url|ip|mac|remote|local|bind|listen|peer|socket|proxy|broker|upstream)_(?:address(?:es)?)$/;

/** An IPv4 or IPv6 address, or a host with a port, maybe with a port: what a network `address` holds. */
const NETWORK_ADDRESS = /(?:\d{1,3}(?:\.\d{1,3}){3}|\[[\dA-Fa-f:.]{2,45}\]|[\dA-Fa-f]{0,4}(?::[\dA-Fa-f]{0,4}){2,7}|localhost|[a-z\d-]{1,63}(?:\.[a-z\d-]{1,63}){1,8}(?=:\d))(?::\d{1,5})?(?![\w.:-])/y;

/**
 * The end of the network address that starts `text` at `from`, or -1: `IP-адрес: 10.0.0.15`,
 * `remote address: [::1]:8080` and `{ address: '::', port: 3000 }` name no postal address.
 */
export function networkAddressEnd(text: string, from: number): number {
  NETWORK_ADDRESS.lastIndex = from;
  return NETWORK_ADDRESS.test(text) ? NETWORK_ADDRESS.lastIndex : -1;
}

/** Parents under which `name` is a person's name (`customer.name`), or may be one (`user.name` is a login in ECS). */
const PERSON_PARENTS = /^(?:customer|client|recipient|buyer|contact|cardholder|person|employee|клиент|покупатель|получатель)$/;
const MAYBE_PERSON_PARENTS = /^(?:user|operator|manager|courier)$/;

const CAMEL_BOUNDARY = /([a-zа-яё0-9])([A-ZА-ЯЁ])/g;
const SEPARATORS = /[\s.-]+/g;

function normaliseSegment(segment: string): string {
  return segment.replace(CAMEL_BOUNDARY, '$1_$2').toLowerCase().replace(SEPARATORS, '_');
}

const cache = new Map<string, KeyKind | null>();
const CACHE_LIMIT = 4096;

/**
 * The kind of personal data a key names, or `undefined`. `key` may be dotted (`customer.phone`),
 * camelCase (`newPassword`), kebab (`X-Api-Key`) or spaced (`API key`); the last two segments
 * decide. Results are cached: field names repeat on every line.
 */
export function classifyKey(key: string): KeyKind | undefined {
  const cached = cache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const kind = classifyUncached(key);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, kind ?? null);
  return kind;
}

function classifyUncached(key: string): KeyKind | undefined {
  const segments = key.split('.');
  const last = normaliseSegment(segments[segments.length - 1] ?? '');
  const parent = segments.length > 1 ? normaliseSegment(segments[segments.length - 2]!) : '';
  if (last === 'name' && parent !== '') {
    if (PERSON_PARENTS.test(parent)) return 'personName';
    return MAYBE_PERSON_PARENTS.test(parent) ? 'maybeName' : undefined;
  }
  const joined = parent === '' ? last : `${parent}_${last}`;
  const groups = KEY_KIND.exec(joined)?.groups;
  if (!groups) return undefined;
  for (const [kind] of kinds) {
    if (groups[kind] === undefined) continue;
    if (kind === 'address' && NETWORK_PARENTS.test(joined)) return undefined;
    return kind;
  }
  return undefined;
}
