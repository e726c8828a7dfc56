package org.jlvs.api;

import org.osgi.annotation.versioning.ProviderType;

/** How regular the health monitor's schedule is (lvs:checks --intervals). Offered by jlvs-healthcheck. */
@ProviderType
public interface HealthIntervals {
    /** Time between consecutive checks and lateness, in ms, as text; {@code reset} starts the statistics over. */
    String intervalSummary(boolean reset);
}
