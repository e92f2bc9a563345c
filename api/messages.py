"""The service's words for users, added to the project's one message table (planner.i18n.MESSAGES)."""

from __future__ import annotations

from planner.i18n import MESSAGES, message

MESSAGES.update(
    {
        "api.invalid_input": ("输入有误，共{n}处问题", "invalid input: {n} problem(s)"),
        "api.unauthenticated": (
            "缺少或无效的API密钥(请在X-API-Key请求头中提供)",
            "missing or invalid API key (send it in the X-API-Key header)",
        ),
        "api.forbidden": (
            "该密钥的角色({role})无权执行此操作，需要{need}",
            "role {role} may not do this; it needs {need}",
        ),
        "api.not_found": ("找不到{what}“{id}”", "no {what_en} {id!r}"),
        "api.no_route": ("没有这个接口", "no such endpoint"),
        "api.method": ("该接口不支持此请求方法", "method not allowed on this endpoint"),
        "api.body_unreadable": (
            "请求体无法解析(须为UTF-8编码的JSON)",
            "the body cannot be read (it must be UTF-8 JSON)",
        ),
        "api.body_too_large": ("请求体超过上限{limit}字节", "request body exceeds the limit of {limit} bytes"),
        "api.too_many": ("{what}数量为{n}，超过上限{limit}", "{n} {what_en}s exceed the limit of {limit}"),
        "api.time_limit": ("求解时限不能超过{limit}秒", "the time limit may not exceed {limit} s"),
        "api.workers": ("求解线程数不能超过{limit}", "workers may not exceed {limit}"),
        "api.busy": (
            "求解任务已满(运行{running}个，排队{queued}个)，请{retry}秒后重试",
            "solver capacity is full ({running} running, {queued} queued); retry in {retry} s",
        ),
        "api.shutting_down": ("服务正在停止，请稍后重试", "the service is shutting down; retry later"),
        "api.no_plan": ("任务“{id}”没有方案(状态：{state})", "job {id!r} has no plan (state: {state})"),
        "api.job_finished": (
            "任务“{id}”已结束(状态：{state})，无法取消",
            "job {id!r} already finished ({state}); nothing to cancel",
        ),
        "api.job_active": (
            "任务“{id}”尚未结束(状态：{state})，不能重新提交",
            "job {id!r} is still {state}; it cannot be resubmitted",
        ),
        "api.scenario_choice": ("请提供scenario或scenario_id之一", "give exactly one of scenario and scenario_id"),
        "api.revoked": ("密钥“{id}”已停用", "key {id!r} is revoked"),
        "api.internal": ("服务内部错误(请求编号{request_id})", "internal error (request {request_id})"),
        "api.job.interrupted": (
            "服务停止时任务尚未完成，可重新提交",
            "the server stopped before the job finished; resubmit it",
        ),
        "api.job.internal": ("求解时发生内部错误", "an internal error stopped the solve"),
        "api.job.input": ("输入未通过校验", "the input did not pass validation"),
        "api.resubmit_withdrawn": (
            "同时进行的另一次重新提交未能排队，已撤回；任务“{id}”可再次重新提交",
            "a concurrent resubmission of job {id!r} could not be queued and was withdrawn; resubmit it again",
        ),
        "api.no_resubmit": (
            "{kind}任务“{id}”不能重新提交，请重新发起请求",
            "{kind} job {id!r} cannot be resubmitted; ask again",
        ),
        "api.base_choice": (
            "请提供base_job_id、scenario或scenario_id之一；base_plan只能与scenario或scenario_id同用",
            "give exactly one of base_job_id, scenario and scenario_id; base_plan goes only with scenario or scenario_id",
        ),
        "api.too_deep": ("嵌套超过{limit}层", "nested deeper than {limit} levels"),
        "api.not_finite": ("数值无效(须为有限数)", "not a finite number"),
        "api.id_invisible": (
            "编号“{id}”含不可见字符或控制字符({chars})",
            "the id '{id}' contains invisible or control characters ({chars})",
        ),
        "api.id_spaces": ("编号“{id}”首尾不能有空格", "the id {id!r} has leading or trailing spaces"),
        "api.precision": (
            '{value}的小数位数超过{places}位，请写成分数(如"1/3")',
            '{value} has more than {places} decimal places; write it as a fraction such as "1/3"',
        ),
        "api.key_name": ("密钥名称须为1至100个可见字符", "a key name needs 1 to 100 visible characters"),
        "api.last_admin": (
            "“{id}”是最后一个有效的全局管理员密钥，不能停用(请先创建另一个)",
            "{id!r} is the last active global admin key; create another before revoking it",
        ),
        "api.db_busy": ("数据库繁忙，请{retry}秒后重试", "the database is busy; retry in {retry} s"),
        "api.db_unavailable": ("数据库不可用，请稍后重试", "the database is unavailable; retry later"),
        "api.out_of_scope": (
            "该密钥无权处理县“{county}”的数据",
            "this key may not act on county {county!r}",
        ),
        "api.scope_wider": (
            "不能创建超出本密钥范围的密钥(本密钥范围：{scope})",
            "a key cannot be given counties beyond the creating key's own ({scope})",
        ),
        "api.county_id": ("县编号无效：{id}", "not a county id: {id}"),
        "api.control_chars": ("含控制字符(如NUL)，不是有效的编号或筛选值", "contains control characters (such as NUL)"),
    }
)

_WHAT = {
    "job": ("任务", "job"),
    "scenario": ("场景", "scenario"),
    "key": ("密钥", "key"),
    "cadre": ("干部", "cadre"),
    "post": ("岗位", "post"),
}


def text(key: str, **fields) -> tuple[str, str]:
    """(zh, en) of `key`; a `what` field names a resource in both languages."""
    if "what" in fields:
        zh_what, en_what = _WHAT.get(fields["what"], (fields["what"], fields["what"]))
        fields = {**fields, "what": zh_what, "what_en": en_what}
        zh, en = MESSAGES[key]
        return zh.format(**fields), en.format(**fields)
    return message(key, **fields)
