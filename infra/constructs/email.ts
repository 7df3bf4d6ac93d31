/**
 * The SES v2 identity of the sender address. Functions that send mail may
 * send only from it (IAM condition on `ses:FromAddress`).
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface AiosEmailProps {
  senderEmail: string;
}

export class AiosEmail extends Construct {
  readonly identity: ses.EmailIdentity;
  readonly senderEmail: string;

  constructor(scope: Construct, id: string, props: AiosEmailProps) {
    super(scope, id);
    this.senderEmail = props.senderEmail;
    this.identity = new ses.EmailIdentity(this, 'Sender', { identity: ses.Identity.email(props.senderEmail) });
  }

  /** ses:SendEmail on the sender identity, from that address only; returns the env var naming the sender. */
  grantSendFrom(grantee: iam.IGrantable): Record<string, string> {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [this.identity.emailIdentityArn],
        conditions: { StringEquals: { 'ses:FromAddress': this.senderEmail } },
      }),
    );
    return { AIOS_EMAIL_FROM: this.senderEmail };
  }
}
