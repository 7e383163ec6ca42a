package dev.minitower.scheduler;

import dev.minitower.testsupport.ServiceInfrastructureContract;
import io.quarkus.test.junit.QuarkusTest;

/**
 * scheduler-service boots on the real stack: probes, metrics, migrated schema, PostgreSQL and
 * Kafka.
 */
@QuarkusTest
class SchedulerServiceInfrastructureTest extends ServiceInfrastructureContract {}
