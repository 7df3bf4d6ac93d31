/**
 * The key of the audit chain's HMAC, through shared/secrets: Secrets Manager
 * on AWS, a file generated once under AIOS_DATA_DIR locally. Every process
 * that appends or verifies (Lambdas, the local runtime, `aios audit verify`)
 * reads the same secret.
 */
import { getSecret } from '../secrets';

export const AUDIT_CHAIN_KEY = 'audit-chain-key';

export type AuditKeyPort = () => Promise<string | Buffer>;

export const secretAuditKey: AuditKeyPort = () => getSecret(AUDIT_CHAIN_KEY, { generateIfMissing: true });
