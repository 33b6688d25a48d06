"""infer-tune: target auto-tuning of the CPU schedules (docs/tuning.md).

  space     the knobs of a task's schedule, and the model that filters them
  search    the model-guided evolutionary search of one task
  runners   compiling and timing candidates in worker processes (local, Ray)
  database  the tuning database: format, merge, report
  cli       the infer-tune command
"""
