/**
 * Reads stored webhook deliveries (shared/webhooks/payload-store.ts) from the
 * payload bucket for the agent step, with a GetObject of its own making.
 *
 * Why not `GetObjectCommand`: that command's middleware brings the SDK's
 * flexible-checksum code (CRC64/CRC32C implementations, checksum streams,
 * about 14 KiB of the bundle) and SSE-C and Expires handling. None of it does
 * anything here: `resolvePayloadRefs` checks every body against the SHA-256
 * recorded when the delivery was stored, a stronger check than the transport
 * checksum; the ingest function stores with no customer key and no Expires
 * header. So this command is GetObject with only the endpoint plugin, built
 * from the pinned SDK's own parts (the operation's schema, the command
 * builder, the endpoint plugin); test/unit/agents/s3-delivery-reader.test.ts
 * holds its endpoint parameters to `GetObjectCommand`'s.
 */
import {
  $Command,
  GetObject$,
  type GetObjectCommandInput,
  type GetObjectCommandOutput,
  type S3Client,
  type ServiceInputTypes,
  type ServiceOutputTypes,
  type S3ClientResolvedConfig,
} from '@aws-sdk/client-s3';
import { getEndpointPlugin } from '@smithy/core/endpoints';
import type { PayloadReader, PayloadRef } from '../../shared/webhooks/payload-store';

const context = (name: string) => ({ type: 'contextParams' as const, name });
const clientContext = (name: string) => ({ type: 'clientContextParams' as const, name });
const builtIn = (name: string) => ({ type: 'builtInParams' as const, name });

/** GetObject's endpoint parameters: S3's common ones, then the bucket and key. */
export const GET_OBJECT_ENDPOINT_PARAMETERS = {
  ForcePathStyle: clientContext('forcePathStyle'),
  UseArnRegion: clientContext('useArnRegion'),
  DisableMultiRegionAccessPoints: clientContext('disableMultiregionAccessPoints'),
  Accelerate: clientContext('useAccelerateEndpoint'),
  DisableS3ExpressSessionAuth: clientContext('disableS3ExpressSessionAuth'),
  UseGlobalEndpoint: builtIn('useGlobalEndpoint'),
  UseFIPS: builtIn('useFipsEndpoint'),
  Endpoint: builtIn('endpoint'),
  Region: builtIn('region'),
  UseDualStack: builtIn('useDualstackEndpoint'),
  Bucket: context('Bucket'),
  Key: context('Key'),
};

/** GetObject without the checksum, SSE-C and Expires middleware (see above). */
export class GetDeliveryCommand extends $Command
  .classBuilder<GetObjectCommandInput, GetObjectCommandOutput, S3ClientResolvedConfig, ServiceInputTypes, ServiceOutputTypes>()
  .ep(GET_OBJECT_ENDPOINT_PARAMETERS)
  .m(function (Command, _stack, config) {
    return [getEndpointPlugin(config, Command.getEndpointParameterInstructions())];
  })
  .s('AmazonS3', 'GetObject', {})
  .n('S3Client', 'GetObjectCommand')
  .sc(GetObject$)
  .build() {}

/** The payload bucket's reader for the agent step. */
export class S3DeliveryReader implements PayloadReader {
  constructor(
    private readonly client: Pick<S3Client, 'send'>,
    private readonly bucket: string,
  ) {}

  async get(ref: PayloadRef): Promise<Buffer> {
    const got = await this.client.send(new GetDeliveryCommand({ Bucket: this.bucket, Key: ref.key }));
    return Buffer.from(await got.Body!.transformToByteArray());
  }
}
