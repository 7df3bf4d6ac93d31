/**
 * The AWS REST APIs the port serves by path (SES v2 `/v2/email/…`, Bedrock
 * Runtime `/model/…`) answer only requests that carry a SigV4 Authorization
 * header, as AWS answers an unsigned one `403 MissingAuthenticationToken`.
 * The runtime does not check signatures; the header alone is what matters:
 * a web page can make the browser POST `text/plain` JSON to 127.0.0.1 with no
 * preflight (Host is right, so the host check lets it in), but it cannot add
 * an Authorization header without a preflight this port never grants. Without
 * this, any page the developer visits could send mail through the outbox and
 * `AIOS_SMTP_URL`, or spend their Bedrock or OpenAI-compatible model.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const SIGNED_PATHS = ['/v2/email/', '/model/'];

/** True when the request names a path-routed AWS API and carries no SigV4 Authorization header. */
export function unsignedAwsRestCall(req: IncomingMessage): boolean {
  // Read as loosely as any router might: decoded, case folded, repeated leading slashes as one.
  const raw = (req.url ?? '/').split('?')[0];
  let decoded = raw;
  try {
    decoded = decodeURI(raw);
  } catch {
    // Broken percent-encoding: checked as sent.
  }
  const path = decoded.replace(/^\/+/, '/').toLowerCase();
  if (!SIGNED_PATHS.some((p) => path.startsWith(p))) return false;
  const auth = req.headers.authorization;
  return typeof auth !== 'string' || !/^AWS4-HMAC-SHA256 Credential=\S+/.test(auth);
}

/** Answers as AWS answers an unsigned REST call, without reading the body. */
export function refuseUnsigned(res: ServerResponse): void {
  const text = JSON.stringify({
    message: 'Missing Authentication Token: AWS APIs on this port take SigV4-signed requests (any AWS SDK or the AWS CLI signs).',
  });
  res.writeHead(403, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-errortype': 'MissingAuthenticationTokenException',
    connection: 'close',
  });
  res.end(text);
}
