/**
 * The End User Messaging SMS client (`pinpoint-sms-voice-v2`): created once per container on first
 * use, traced, endpoint from the environment, one attempt per call (`SEND_ONCE`).
 */
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { tracer } from '#adapters/powertools.ts';
import { type ClientOptions, clientConfig, envEndpoint, SEND_ONCE } from './client-config.ts';

/** Returns a new traced End User Messaging SMS client that makes one attempt per call. */
export function createEumSmsClient(options: ClientOptions = {}): PinpointSMSVoiceV2Client {
  return tracer.captureAWSv3Client(new PinpointSMSVoiceV2Client({ ...clientConfig(options), ...SEND_ONCE }));
}

let eum: PinpointSMSVoiceV2Client | undefined;

/** Returns the process-wide End User Messaging SMS client (endpoint from `KLANTREIS_SMS_VOICE_ENDPOINT`). */
export function eumSmsClient(): PinpointSMSVoiceV2Client {
  eum ??= createEumSmsClient({ endpoint: envEndpoint('smsVoice') });
  return eum;
}
