import { z } from "zod";
import { type ApiOperation, operations, terminalApiPrefix } from "./contract";

const reasons: Record<number, string> = {
  200: "OK",
  201: "Created",
  400: "Malformed JSON or an invalid pairing code",
  401: "Missing, unknown (device_unauthorized) or revoked (device_revoked) device token",
  403: "Wrong PIN (pin_incorrect), or a deactivated staff member",
  404: "Unknown card or counter staff member",
  409: "Refused by the ledger: insufficient_balance, reward_unavailable, card_inactive, idempotency_conflict…",
  413: "Body larger than the limit",
  415: "Body is not application/json",
  422: "validation_failed (with the issues' paths), invalid_amount, …",
  423: "pin_locked: a manager must reset the PIN",
  429: "Rate limit: wait Retry-After seconds",
};

function schema(type: z.ZodType, io: "input" | "output") {
  const { $schema: _ignored, ...json } = z.toJSONSchema(type, { io, unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return json;
}

function operationObject(operation: ApiOperation) {
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(operation.authenticated ? { security: [{ deviceToken: [] }] } : { security: [] }),
    parameters: [
      ...(operation.parameters ?? []).map((parameter) => ({
        name: parameter.name,
        in: "path",
        required: true,
        description: parameter.description,
        schema: { type: "string" },
      })),
      ...(operation.authenticated
        ? [
            {
              name: "X-Terminal-Version",
              in: "header",
              required: false,
              description: "The app's version, shown in the merchant portal",
              schema: { type: "string", maxLength: 64 },
            },
            {
              name: "X-Terminal-Queue",
              in: "header",
              required: false,
              description: "Transactions waiting in the device's offline queue",
              schema: { type: "integer", minimum: 0 },
            },
          ]
        : []),
    ],
    ...(operation.request
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: schema(operation.request, "input") } },
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(operation.responses).map(([status, body]) => [
        status,
        {
          description: reasons[Number(status)] ?? "",
          ...(Number(status) === 429
            ? { headers: { "Retry-After": { description: "Seconds to wait", schema: { type: "integer" } } } }
            : {}),
          content: { "application/json": { schema: schema(body, "output") } },
        },
      ]),
    ),
  };
}

let built: Record<string, unknown> | undefined;

/** The OpenAPI 3.1 document of the terminal API, generated from its zod contract. */
export function openApiDocument(): Record<string, unknown> {
  if (built) return built;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    paths[operation.path] = { ...paths[operation.path], [operation.method]: operationObject(operation) };
  }
  built = {
    openapi: "3.1.0",
    info: {
      title: "RewardFlow terminal API",
      version: "1.0.0",
      description:
        "For counter terminals (the web terminal and the store's Android app) paired to one store. Every error is `{error: {code, message}}` with a stable code; messages follow Accept-Language (fr, de, lb, en).",
    },
    servers: [{ url: terminalApiPrefix }],
    components: { securitySchemes: { deviceToken: { type: "http", scheme: "bearer" } } },
    paths,
  };
  return built;
}
