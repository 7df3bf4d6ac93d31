/**
 * The key of the audit chain's HMAC, through shared/secrets: Secrets Manager
 * on AWS, a file generated once under AIOS_DATA_DIR locally. Every process
 * that appends or verifies (Lambdas, the local runtime, `aios audit verify`)
 * reads the same secret.
 */
import { getSecret } from '../secrets';

export const AUDIT_CHAIN_KEY = 'audit-chain-key';

/** `append`: the first append may create the key; verifying never does (a fresh key would call every record edited). */
export type AuditKeyPort = (use: 'append' | 'verify') => Promise<string | Buffer>;

export const secretAuditKey: AuditKeyPort = (use) => getSecret(AUDIT_CHAIN_KEY, { generateIfMissing: use === 'append' });
