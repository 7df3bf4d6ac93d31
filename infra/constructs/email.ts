/**
 * The SES v2 identity of the sender address. Functions that send mail may
 * send only from it (the plan's `fromSender` condition on `ses:FromAddress`).
 */
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface AiosEmailProps {
  senderEmail: string;
  /** `existing`: use the identity (another deployment or the console created it) instead of creating it. */
  senderIdentity?: 'create' | 'existing';
}

export class AiosEmail extends Construct {
  readonly identity: ses.IEmailIdentity;
  readonly senderEmail: string;

  constructor(scope: Construct, id: string, props: AiosEmailProps) {
    super(scope, id);
    this.senderEmail = props.senderEmail;
    // An SES identity is one per address and account: a second deployment sending from the same address uses the first one's.
    this.identity =
      props.senderIdentity === 'existing'
        ? ses.EmailIdentity.fromEmailIdentityName(this, 'Sender', props.senderEmail)
        : new ses.EmailIdentity(this, 'Sender', { identity: ses.Identity.email(props.senderEmail) });
  }
}
