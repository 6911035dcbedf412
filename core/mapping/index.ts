export {
  compileExpression,
  ExpressionError,
  formatJsonataNumber,
  jsonataRound,
  jsonataTruthy,
  NEEDS_JSONATA,
  toExpressionError,
  type CompiledExpression,
} from './compile-expression.js';
export { compileMap, type CompiledMap, type ConfigLocation } from './map-node.js';
export { compileFilter, type CompiledFilter } from './filter-node.js';
