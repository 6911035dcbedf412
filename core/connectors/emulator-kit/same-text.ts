// Emulators compare presented secrets in constant time, as a real server would: the same function as Ferry's own.
export { sameSecret as sameText } from '../../secrets/same-secret.js';
