/** The metrics endpoint: Prometheus text and the read-only JSON API over Pax Web. Private to the bundle. */
package org.jlvs.metrics;
