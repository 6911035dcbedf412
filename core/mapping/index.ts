/**
 * Map and filter nodes: JSONata expressions compiled to synchronous closures where that keeps JSONata's semantics
 * exactly, and evaluated by JSONata itself otherwise (per expression, and per record whenever the data needs it).
 */
export {
  compileExpression,
  ExpressionError,
  formatJsonataNumber,
  isPlainRoot,
  jsonataRound,
  jsonataTruthy,
  NEEDS_JSONATA,
  toExpressionError,
  type CompiledExpression,
} from './compile-expression.js';
export { compileMap, type CompiledMap, type ConfigLocation, type MapOptions } from './map-node.js';
export { compileValueMap, notInMapMessage, NOT_IN_MAP, valueMapText, type CompiledValueMap } from './value-map.js';
export { compileFilter, type CompiledFilter } from './filter-node.js';
export { previewMapping, type PreviewMappingOptions } from './preview-mapping.js';
export { findDefaultMapping, loadDefaultMappings, type DefaultMapping, type MappingEnd } from './default-mappings.js';
export { expressionFields, type FieldReference } from './expression-fields.js';
