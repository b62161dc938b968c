export {
  freeTextField, wildcardSegments, escapeWildcardLiteral,
  type KqlNode, type KqlAll, type KqlAnd, type KqlOr, type KqlNot, type KqlMatch, type KqlExists, type KqlRange, type KqlRangeOperator, type KqlText,
} from './ast.js';
export { KqlSyntaxError } from './kql-error.js';
export { parseKql, type ParseKqlOptions } from './parse.js';
export { defaultColumnMap, type Column, type ColumnMap, type ColumnType } from './columns.js';
export { kqlToSql, type KqlToSqlOptions, type SqlFragment, type SqlParam } from './to-sql.js';
export { kqlToElasticsearch, type KqlToElasticsearchOptions } from './to-elasticsearch.js';
export { explainKql } from './explain.js';
export { kqlFields } from './fields.js';
export { closestNames, editDistance } from './closest-names.js';
