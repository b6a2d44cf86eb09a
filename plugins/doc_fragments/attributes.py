# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
attributes:
  check_mode:
    description: Can run in check mode and return the changed status it predicts without changing anything.
    support: full
  diff_mode:
    description: Would return details on what has changed in diff mode.
    support: none
  action_group:
    description: Use C(group/sycorr.permission_assist.all) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - sycorr.permission_assist.all
"""

    INFO_MODULE = r"""
attributes:
  check_mode:
    description: Reads only, so it runs the same in check mode.
    support: full
"""
