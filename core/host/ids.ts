// The id helpers moved to core/model (the store makes ids too); hosts keep importing them from here.
export { slugify, uniqueId } from '../model/ids.js';
