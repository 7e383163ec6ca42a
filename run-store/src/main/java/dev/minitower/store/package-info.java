/**
 * The shared persistence library of the MiniTower services.
 *
 * <ul>
 *   <li>{@code dev.minitower.store.runs}: every run state transition as one guarded statement.
 *   <li>{@code dev.minitower.store.outbox}: the transactional outbox writer.
 *   <li>{@code dev.minitower.store.artifacts}: the content-addressed, chunked artifact store.
 * </ul>
 */
package dev.minitower.store;
