/** Encoding intrinsics: States.Base64Encode, States.Base64Decode, States.Hash. */
import { createHash } from 'node:crypto';
import { arity, asString, fail, type IntrinsicFunction } from './family';

const HASH_ALGORITHMS: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const MAX_INPUT = 10_000;

export const encodingFunctions: Record<string, IntrinsicFunction> = {
  'States.Base64Encode': (args) => {
    arity('States.Base64Encode', args, 1);
    const text = asString('States.Base64Encode', args[0]);
    if (text.length > MAX_INPUT) fail('States.Base64Encode', `input exceeds ${MAX_INPUT} characters`);
    return Buffer.from(text, 'utf8').toString('base64');
  },

  'States.Base64Decode': (args) => {
    arity('States.Base64Decode', args, 1);
    const text = asString('States.Base64Decode', args[0]);
    if (text.length > MAX_INPUT) fail('States.Base64Decode', `input exceeds ${MAX_INPUT} characters`);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) fail('States.Base64Decode', 'input is not base64');
    return Buffer.from(text, 'base64').toString('utf8');
  },

  'States.Hash': (args) => {
    arity('States.Hash', args, 2);
    const data = args[0];
    if (data === null) fail('States.Hash', 'data must not be null');
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    if (text.length > MAX_INPUT) fail('States.Hash', `input exceeds ${MAX_INPUT} characters`);
    const algorithm = HASH_ALGORITHMS[asString('States.Hash', args[1])];
    if (!algorithm) fail('States.Hash', `algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
    return createHash(algorithm).update(text, 'utf8').digest('hex');
  },
};
