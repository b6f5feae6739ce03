"""Korean (ko): Android and iOS.

WhatsApp's own wording, from its Android strings.xml and iOS Localizable.strings
(sources: tests/data/chats/README.md).
"""

from grouptier.chat.languages import Language

LANGUAGE = Language(
    code="ko",
    name="한국어",
    system={
        "created": (
            "{actor}님이 {any}그룹을 만들었습니다",
            "{any}그룹을 만들었습니다",
            "{actor}님이 {any} 그룹을 만들었습니다",
            "{actor}님이 이 그룹을 만들었습니다",
            "{any} 그룹을 만들었습니다",
            "내가 만든 그룹입니다",
        ),
        "added": (
            "{actor}님이 {target}님을 추가했습니다",
            "{target}님을 추가했습니다",
            "{actor}님에게 초대받았습니다",
            "{actor}님이 {target}을(를) 추가했습니다",
            "{actor}님이 회원님을 추가했습니다",
        ),
        "you_were_added": (
            "그룹에 추가되었습니다",
            "회원님이 추가되었습니다",
        ),
        "joined_by_link": (
            "{actor}님이 이 그룹 초대 링크로 참여했습니다",
            "이 그룹 초대 링크로 참여했습니다",
        ),
        "left": (
            "{actor}님이 퇴장하였습니다",
            "퇴장했습니다",
            "{actor}님이 그룹에서 나갔습니다",
        ),
        "removed": (
            "{actor}님이 {target}님을 그룹에서 퇴장시켰습니다",
            "{target}님을 퇴장 시켰습니다",
            "{actor}님에게 퇴장당했습니다",
            "{actor}님이 {target}님을 퇴장시켰습니다",
            "{target}님을 퇴장시켰습니다",
            "{actor}님이 회원님을 퇴장시켰습니다",
        ),
        "subject": (
            "{actor}님이 그룹 이름을 {any}로 변경했습니다",
            "그룹 이름을 {any}(으)로 변경했습니다",
            "{actor}님이 그룹 이름을 {any}(으)로 변경했습니다",
        ),
        "icon": (
            "{actor}님이 그룹아이콘을 변경했습니다",
            "그룹아이콘을 변경하였습니다",
            "{actor}님이 그룹 아이콘을 변경하였습니다",
            "그룹 아이콘을 삭제하였습니다",
            "{actor}님이 그룹 아이콘을 변경했습니다",
            "그룹 아이콘을 변경했습니다",
        ),
        "description": (
            "{actor}님이 그룹 설명을 변경했습니다",
            "그룹 설명을 변경했습니다",
            "{actor}님이 그룹 설명을 삭제했습니다",
            "그룹 설명을 삭제했습니다",
        ),
        "admin": (
            "그룹장이 되었습니다",
            "회원님은 이제 관리자입니다",
        ),
        "encryption": (
            "이 그룹의 메시지는 종단간 암호화되어 안전합니다{any}",
            "이 그룹의 메시지는 이제 종단간 암호화되어 안전합니다{any}",
            "이 대화 및 통화의 메시지는 이제 종단간 암호화되어 안전합니다{any}",
            "메시지 및 전화는 종단간 암호화되어 안전합니다{any}",
        ),
        "security_code": (
            "{actor}님의 보안 코드가 변경되었습니다{any}",
            "{actor}님과의 보안 코드가 변경되었습니다{any}",
        ),
        "number_changed": ("{actor}님의 전화번호가 변경되었습니다{any}",),
        "disappearing": (
            "{actor}님이 자동삭제 메시지 설정을 켰습니다{any}",
            "{actor}님이 자동삭제 메시지 설정을 껐습니다{any}",
            "{actor}님이 메시지 타이머를 업데이트했습니다{any}",
            "메시지 타이머를 업데이트했습니다{any}",
            "자동삭제 메시지 설정을 켰습니다{any}",
            "자동삭제 메시지 설정을 껐습니다{any}",
        ),
        "settings": ("{actor}님이 이 그룹 초대 링크를 재설정했습니다{any}",),
        # WhatsApp's strings (Android, iOS): a call written as the caller's message
        "call": (
            "부재중 전화",
            "부재중 그룹 통화",
            "부재중 영상통화",
            "부재중 그룹 영상통화",
        ),
    },
    media=("<미디어 파일을 생략한 대화내용>", "<미디어 파일 제외됨>"),
    ios_media=(
        "이미지 생략됨",
        "비디오 생략됨",
        "오디오 생략됨",
        "스티커 제외됨",
        "GIF 생략됨",
        "연락처 카드 생략됨",
    ),
    documents=("문서 생략됨",),
    attached=("파일 첨부됨",),
    ios_attached=("첨부됨",),
    deleted=("이 메시지는 삭제되었습니다", "삭제한 메시지입니다"),
    conjunctions=("및",),
)
