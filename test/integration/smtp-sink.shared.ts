/** Shared by smtp-sink.setup.ts (Node) and email-smtp.test.ts (workerd): no Node imports here. */

export const SMTP_TEST_CREDENTIALS = { user: "kemitraan", password: "test-only-password" };

export interface SinkState {
  connections: number;
  messages: Array<{
    to: string[];
    from: string;
    user: string | undefined;
    subject: string | undefined;
    text: string | undefined;
    html: string | false | undefined;
    messageId: string | undefined;
    headerLines: string[];
  }>;
}

declare module "vitest" {
  export interface ProvidedContext {
    smtpSink: { port: number; api: string };
  }
}
