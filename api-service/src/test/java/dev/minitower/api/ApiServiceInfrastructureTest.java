package dev.minitower.api;

import dev.minitower.testsupport.ServiceInfrastructureContract;
import io.quarkus.test.junit.QuarkusTest;

/** api-service boots on the real stack: probes, metrics, migrated schema, PostgreSQL and Kafka. */
@QuarkusTest
class ApiServiceInfrastructureTest extends ServiceInfrastructureContract {}
