<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shapes the subscriber's mailbox (XSI VoiceMessagingMessages and calls/MessageSummary) into the app's voicemail
  list, as XML (default) or JSON (parameter format = 'json'): the same content, built once in the xml-to-json
  vocabulary, so key order is fixed and the ETag stable.
    { "newMessages": n, "oldMessages": n,
      "messages": [ { "id", "callerName", "callerNumber", "private", "duration"?, "time"?, "read", "urgent",
                      "confidential", "video"?, "fax"?, "transcript"?, "audioUrl"? } ] }
  XML: <voicemail><newMessages/><oldMessages/><messages><message><id/>…</message></messages></voicemail>, the
  same names, booleans as true/false.

  - Only messages that can be acted on are listed: those with a <message> in voicemail-links (made in Java,
    voicemail/Voicemails: a messageId whose last segment is a safe id). id is that id, never XSI's path.
  - A private caller (callingPartyInfo/privacy) shows neither name nor number: "private" is true, both empty.
  - callerNumber: callingPartyInfo/address without 'tel:', written as the app dials it (p:dial-number).
  - duration: whole seconds, rounded (XSI: ms); left out when XSI gives none (a fax). time: ISO-8601 UTC, seconds.
  - video, fax: only when flagged. transcript: only when the platform sends one (a Webex-style <transcript> in the
    message). audioUrl: only when voicemail-links carries URLs (the answer as sent; the ETag is over the answer
    without them).
  - newMessages / oldMessages: MessageSummary's when XSI gave it (the whole mailbox), else counted from the list.

  Input:
    <walk tenant platform userId>
      <voicemail><VoiceMessagingMessages>…</VoiceMessagingMessages></voicemail>   (absent: not assigned)
      <voicemail-summary><VoiceMailMessageSummary>…</VoiceMailMessageSummary></voicemail-summary>   (or absent)
      <voicemail-links><links><message path="messageId without whitespace" id=".." url=".."?/>…</links></voicemail-links>
      <params>…</params>
    </walk>
  XSI documents are matched by local name (*:), as in account.xsl.

  A tenant override (xslt/tenants/<tenant>/voicemail.xsl) imports this file and replaces a hook. Public
  (namespace p = urn:provisioning-proxy):
    mode p:message     (match messageInfo, tunnel param $link)   one message: an fn:map
    function p:caller-number($info)   the caller's number (callingPartyInfo/address, 'tel:' removed)
    function p:transcript($info)      the transcript, or empty (default: <transcript>'s text)
  Names in pp (urn:provisioning-proxy:private) are internals that may change.
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:fn="http://www.w3.org/2005/xpath-functions"
                xmlns:p="urn:provisioning-proxy"
                xmlns:pp="urn:provisioning-proxy:private"
                exclude-result-prefixes="#all"
                expand-text="yes">

  <xsl:import href="lib/common.xsl"/>

  <!-- text either way: JSON by xml-to-json, XML by serialize() -->
  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:param name="format" as="xs:string" select="'xml'"/>

  <xsl:key name="pp:link" match="/walk/voicemail-links/links/message" use="@path"/>

  <xsl:template match="/">
    <xsl:variable name="infos" select="walk/voicemail/*/*:messageInfoList/*:messageInfo"/>
    <xsl:variable name="summary" select="walk/voicemail-summary/*/*:summary"/>
    <xsl:variable name="answer" as="element(fn:map)">
      <fn:map>
        <fn:number key="newMessages">{pp:count($summary/*:newMessages, count($infos[not(pp:flag(*:read))]))}</fn:number>
        <fn:number key="oldMessages">{pp:count($summary/*:oldMessages, count($infos[pp:flag(*:read)]))}</fn:number>
        <fn:array key="messages">
          <xsl:for-each select="$infos">
            <xsl:variable name="link" select="key('pp:link', replace(string(*:messageId), '\s+', ''))[1]"/>
            <xsl:if test="$link">
              <xsl:apply-templates select="." mode="p:message">
                <xsl:with-param name="link" select="$link" tunnel="yes"/>
              </xsl:apply-templates>
            </xsl:if>
          </xsl:for-each>
        </fn:array>
      </fn:map>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$format = 'json'">
        <xsl:value-of select="xml-to-json($answer)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="xml" as="document-node()">
          <xsl:document>
            <xsl:apply-templates select="$answer" mode="pp:xml">
              <xsl:with-param name="name" select="'voicemail'"/>
            </xsl:apply-templates>
          </xsl:document>
        </xsl:variable>
        <xsl:value-of select="serialize($xml, map {'method': 'xml', 'indent': true(), 'encoding': 'UTF-8'})"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="*:messageInfo" mode="p:message">
    <xsl:param name="link" as="element(message)" tunnel="yes"/>
    <xsl:variable name="party" select="*:callingPartyInfo"/>
    <xsl:variable name="private" select="exists($party/*:privacy)"/>
    <xsl:variable name="transcript" select="p:transcript(.)"/>
    <fn:map>
      <fn:string key="id">{$link/@id}</fn:string>
      <fn:string key="callerName">{if ($private) then '' else p:first($party/*:name)}</fn:string>
      <fn:string key="callerNumber">{if ($private) then '' else p:caller-number(.)}</fn:string>
      <fn:boolean key="private">{$private}</fn:boolean>
      <xsl:if test="*:duration castable as xs:integer">
        <fn:number key="duration">{round(xs:integer(*:duration) div 1000)}</fn:number>
      </xsl:if>
      <xsl:if test="*:time castable as xs:integer">
        <fn:string key="time">{pp:time(xs:integer(*:time))}</fn:string>
      </xsl:if>
      <fn:boolean key="read">{pp:flag(*:read)}</fn:boolean>
      <fn:boolean key="urgent">{pp:flag(*:urgent)}</fn:boolean>
      <fn:boolean key="confidential">{pp:flag(*:confidential)}</fn:boolean>
      <xsl:if test="pp:flag(*:video)">
        <fn:boolean key="video">true</fn:boolean>
      </xsl:if>
      <xsl:if test="pp:flag(*:fax)">
        <fn:boolean key="fax">true</fn:boolean>
      </xsl:if>
      <xsl:if test="$transcript">
        <fn:string key="transcript">{$transcript}</fn:string>
      </xsl:if>
      <xsl:if test="$link/@url">
        <fn:string key="audioUrl">{$link/@url}</fn:string>
      </xsl:if>
    </fn:map>
  </xsl:template>

  <xsl:function name="p:caller-number" as="xs:string?">
    <xsl:param name="info" as="element()"/>
    <xsl:sequence select="p:dial-number(p:first($info/*:callingPartyInfo/*:address) ! replace(., '^tel:', '', 'i'))"/>
  </xsl:function>

  <xsl:function name="p:transcript" as="xs:string?">
    <xsl:param name="info" as="element()"/>
    <xsl:sequence select="($info/*:transcript ! normalize-space())[. != ''][1]"/>
  </xsl:function>

  <!-- an empty flag element (<read/>) is set; one saying false or 0 is not (defensive: XSI writes empty ones) -->
  <xsl:function name="pp:flag" as="xs:boolean">
    <xsl:param name="flag" as="element()*"/>
    <xsl:sequence select="exists($flag[not(normalize-space() = ('false', '0'))])"/>
  </xsl:function>

  <xsl:function name="pp:count" as="xs:integer">
    <xsl:param name="given" as="element()*"/>
    <xsl:param name="counted" as="xs:integer"/>
    <xsl:sequence select="if ($given[1] castable as xs:integer) then xs:integer($given[1]) else $counted"/>
  </xsl:function>

  <!-- epoch milliseconds as ISO-8601 UTC, whole seconds -->
  <xsl:function name="pp:time" as="xs:string">
    <xsl:param name="millis" as="xs:integer"/>
    <xsl:sequence select="format-dateTime(xs:dateTime('1970-01-01T00:00:00Z')
                            + xs:dayTimeDuration('PT1S') * ($millis idiv 1000),
                          '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01]Z')"/>
  </xsl:function>

  <!-- the xml-to-json vocabulary as plain XML: a key is an element name; an array's items are named by its key
       without the plural s (messages/message) -->
  <xsl:template match="fn:map | fn:array" mode="pp:xml">
    <xsl:param name="name" as="xs:string?"/>
    <xsl:variable name="element" select="($name, @key)[1]"/>
    <xsl:element name="{$element}">
      <xsl:apply-templates select="*" mode="pp:xml">
        <xsl:with-param name="name" select="if (self::fn:array) then replace($element, 's$', '') else ()"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <xsl:template match="fn:string | fn:number | fn:boolean" mode="pp:xml">
    <xsl:param name="name" as="xs:string?"/>
    <xsl:element name="{($name, @key)[1]}">{.}</xsl:element>
  </xsl:template>

</xsl:stylesheet>
