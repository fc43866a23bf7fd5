"""Zone statistics (统计监测) without Django: derived values, checks, ratings, watches and targets.

Every formula of the monitoring pages lives here, so that it can be checked on
hand-worked numbers and reused by the dashboard, the bulletin and the exports.
"""
