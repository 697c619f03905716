/**
 * Spring Boot auto-configuration for asyncsql nodes.
 */
package io.asyncsql.autoconfigure;
