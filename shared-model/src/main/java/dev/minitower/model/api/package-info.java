/**
 * The client API's contract (web UI and CLI ⇄ api-service): every request and response body of
 * {@code /api/v1}, field for field in the original's order (records serialise in component order),
 * optional fields omitted where the original omits them. api-service's resources are typed on these
 * records, so {@code /openapi} documents every body and the frontend's TypeScript types are
 * generated from that document; the CLI reads and writes the same records. Golden JSON tests
 * ({@code ClientApiGoldenTest}) pin the bytes.
 */
package dev.minitower.model.api;
