/**
 * The SES v2 identity of the sender address. Functions that send mail may
 * send only from it (the plan's `fromSender` condition on `ses:FromAddress`).
 */
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

}
