/**
 * Wire records of the runner protocol (runner-service ⇄ runner agent). Field names and order are
 * those of the original; new fields are additive and omitted when null, so the original agent keeps
 * working. Golden JSON tests pin them.
 */
package dev.minitower.model.runner;
