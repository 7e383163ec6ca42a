/**
 * The client API's contract (web UI and CLI ⇄ api-service): every request and response body of
 * {@code /api/v1}, field for field in the original's order (records serialise in component order),
 * optional fields omitted where the original omits them. api-service's resources are typed on these
 * records, so {@code /openapi} documents every body and the frontend's TypeScript types are
 * generated from that document; the CLI reads and writes the same records. Golden JSON tests
 * ({@code ClientApiGoldenTest}) pin the bytes.
 *
 * <p>For that document, a response field the server writes as {@code null} carries
 * {@code @Schema(nullable = true)}, and a field that is never null in a record omitting nulls
 * ({@code NON_NULL}) carries {@code @Schema(required = true)}; api-service marks every field
 * Jackson always writes as required. api-service's {@code GoldenBodiesMatchOpenApiTest} holds the
 * golden responses to these claims.
 */
package dev.minitower.model.api;
