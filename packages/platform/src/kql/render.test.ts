import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainKql } from './explain.js';
import { kqlFields } from './fields.js';
import { parseKql } from './parse.js';
import { kqlToElasticsearch } from './to-elasticsearch.js';

const es = (query: string) => kqlToElasticsearch(parseKql(query));
const explain = (query: string) => explainKql(parseKql(query));

test('Elasticsearch: fields, levels and free text become a bool of term and match_phrase', () => {
  assert.deepEqual(es('service.name:mes-api and log.level:error and timeout'), {
    bool: {
      must: [
        { term: { 'service.name': 'mes-api' } },
        { term: { 'log.level': { value: 'error', case_insensitive: true } } },
        { match_phrase: { message: 'timeout' } },
      ],
    },
  });
});

test('Elasticsearch: or, not, wildcards, exists and ranges', () => {
  assert.deepEqual(es('(service.name:mes* or not order.id:*) and event.duration >= 1000000 and @timestamp < now-1h'), {
    bool: {
      must: [
        { bool: { should: [{ wildcard: { 'service.name': { value: 'mes*' } } }, { bool: { must_not: [{ exists: { field: 'order.id' } }] } }], minimum_should_match: 1 } },
        { range: { 'event.duration': { gte: 1000000 } } },
        { range: { '@timestamp': { lt: 'now-1h' } } },
      ],
    },
  });
  assert.deepEqual(es('message:*time?out* or url.path:/a\\*b*'), {
    bool: {
      should: [
        { wildcard: { message: { value: '*time\\?out*', case_insensitive: true } } },
        { wildcard: { 'url.path': { value: '/a\\*b*' } } },
      ],
      minimum_should_match: 1,
    },
  });
  assert.deepEqual(es('*'), { match_all: {} });
  assert.deepEqual(es('"connection refused"'), { match_phrase: { message: 'connection refused' } });
});

test('Elasticsearch: renders as kqlToSql compares: dates as a range, levels ignoring case, message words in any order', () => {
  // Kibana, too, turns field:date into gte and lte, so a day means the whole day.
  assert.deepEqual(es('@timestamp:2026-11-21'), { range: { '@timestamp': { gte: '2026-11-21', lte: '2026-11-21' } } });
  assert.deepEqual(es('log.level:ERR*'), { wildcard: { 'log.level': { value: 'ERR*', case_insensitive: true } } });
  assert.deepEqual(es('message:calculation price*'), {
    bool: { must: [{ match_phrase: { message: 'calculation' } }, { wildcard: { message: { value: 'price*', case_insensitive: true } } }] },
  });
  assert.deepEqual(es('message:"calculation price"'), { match_phrase: { message: 'calculation price' } });
});

test('explain reads the query as a sentence', () => {
  assert.equal(explain('service.name:mes-api and log.level:error and timeout'), 'service.name is "mes-api" and log.level is "error" and the message contains "timeout"');
  assert.equal(
    explain('(service.name:shop-api or service.name:crm-api) and not log.level:debug and http.response.status_code >= 500'),
    '(service.name is "shop-api" or service.name is "crm-api") and log.level is not "debug" and http.response.status_code is at least 500',
  );
  assert.equal(explain('order.id:ORD-10* or not order.id:* or @timestamp < "2026-11-21"'), 'order.id matches "ORD-10*" or order.id does not exist or @timestamp is less than "2026-11-21"');
  assert.equal(explain('a:1 and b:2 or not (c:3 or d:4)'), '(a is "1" and b is "2") or not (c is "3" or d is "4")');
  assert.equal(explain('not "disk full" and message:*refused*'), 'the message does not contain "disk full" and the message matches "*refused*"');
  assert.equal(explain('message:calculation price and not message:"disk full"'), 'the message contains all of "calculation", "price" and the message does not contain "disk full"');
  assert.equal(explain(''), 'every log line');
});

test('kqlFields lists each field once in order of use; free text reads the message', () => {
  assert.deepEqual(kqlFields(parseKql('service.name:mes-api and (order.id:* or not user.id:U-1) and timeout and service.name:x and event.duration > 5')), [
    'service.name', 'order.id', 'user.id', 'message', 'event.duration',
  ]);
  assert.deepEqual(kqlFields(parseKql('*')), []);
});
